// YAML for the generated files. jsonnet 0.18's std.manifestYamlDoc escapes strings one character at a time
// (seconds for the rule file) and sorts keys alphabetically; this writes single-quoted strings (only ' is doubled,
// with the native std.strReplace), multi-line strings as literal blocks, and keys in the order rule files are read:
// name, record or alert, expr, for, labels, annotations (summary, description, runbook_url); other keys after,
// alphabetically.
local order = [
  'apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'annotations', 'spec', 'generatorOptions',
  'configMapGenerator', 'files', 'groups', 'interval', 'rules', 'record', 'alert', 'expr', 'for', 'summary',
  'description', 'runbook_url',
];
// Rule keys: labels and annotations come after expr and for there.
local ruleOrder = ['record', 'alert', 'expr', 'for', 'labels', 'annotations'];
local rank(keys, k) = local i = std.find(k, keys); if std.length(i) > 0 then i[0] else std.length(keys);
local orderedKeys(o) =
  local keys = if std.objectHas(o, 'expr') then ruleOrder else order;
  std.sort(std.objectFields(o), function(k) '%03d%s' % [rank(keys, k), k]);

local letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
local isLetter = { [ch]: true for ch in std.stringChars(letters) };
local safe = { [ch]: true for ch in std.stringChars(letters + '0123456789._/-') };
local reserved = { [w]: true for w in ['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'y', 'n', '~'] };
// A string YAML reads back as the same string without quotes: a short word of safe characters starting with a
// letter (so never a number, a boolean or null).
local plain(s) =
  std.length(s) > 0 && std.length(s) <= 80 && !std.objectHas(reserved, std.asciiLower(s))
  && std.objectHas(isLetter, s[0])
  && std.length([ch for ch in std.stringChars(s) if !std.objectHas(safe, ch)]) == 0;

local scalar(v) =
  if std.isString(v) then (if plain(v) then v else "'" + std.strReplace(v, "'", "''") + "'")
  else if std.isBoolean(v) then (if v then 'true' else 'false')
  else if v == null then 'null'
  else if std.isNumber(v) then std.toString(v)
  else if std.isArray(v) then '[]'
  else '{}';

local multiline(v) = std.isString(v) && std.length(std.split(v, '\n')) > 1;
local isBlock(v) = (std.isObject(v) && std.length(std.objectFields(v)) > 0) || (std.isArray(v) && std.length(v) > 0);
local indented(lines) = [if l == '' then '' else '  ' + l for l in lines];

// A literal block: `|` keeps one final newline, `|-` none.
local literal(head, s) =
  local parts = std.split(s, '\n');
  local ends = parts[std.length(parts) - 1] == '';
  local body = if ends then parts[0:std.length(parts) - 1] else parts;
  assert body[0] == '' || body[0][0] != ' ' : 'a literal block may not start with a space: ' + body[0];
  assert !ends || std.length(body) == 0 || body[std.length(body) - 1] != '' : 'more than one final newline';
  [head + (if ends then '|' else '|-')] + indented(body);

local block(v) =
  if std.isObject(v) then std.flattenArrays([entry(k, v[k]) for k in orderedKeys(v)])
  else std.flattenArrays([item(x) for x in v]),
      entry(k, v) =
  local key = if plain(k) then k else scalar(k);
  if isBlock(v) then [key + ':'] + indented(block(v))
  else if multiline(v) then literal(key + ': ', v)
  else [key + ': ' + scalar(v)],
      item(x) =
  if isBlock(x) then (local lines = block(x); ['- ' + lines[0]] + indented(lines[1:]))
  else if multiline(x) then literal('- ', x)
  else ['- ' + scalar(x)];

{
  // The document, after `comment` lines (each prefixed with "# ").
  manifest(value, comment=[]):: std.join('\n', ['# ' + c for c in comment] + block(value)) + '\n',
}
