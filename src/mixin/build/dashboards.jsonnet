// One file per dashboard: jsonnet -m DIR build/dashboards.jsonnet (jsonnet's own JSON writer; std.manifestJsonEx
// escapes strings one character at a time and takes seconds).
function(config={})
  ((import '../mixin.libsonnet') + { _config+:: config }).grafanaDashboards
