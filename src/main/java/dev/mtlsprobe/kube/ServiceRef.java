package dev.mtlsprobe.kube;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Service named by a target URL's host, the way cluster DNS reads it: {@code name}, {@code name.ns},
 * {@code name.ns.svc} or {@code name.ns.svc.<cluster domain>}; a bare name is in the probe's own namespace.
 */
public record ServiceRef(String name, String namespace) {

    // DNS-1035 label for Service names, DNS-1123 label for namespaces
    private static final Pattern SERVICE = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    /** The outcome of reading a host: a Service, or why it is not one. */
    public record Parsed(ServiceRef service, String problem) {
        public boolean found() {
            return service != null;
        }
    }

    public String ref() {
        return namespace + "/" + name;
    }

    public static Parsed parse(String host, String ownNamespace, String clusterDomain) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.indexOf(':') >= 0 || h.matches("[0-9.]+")) {
            return new Parsed(null, "the target host " + host + " is an address, not a Service name");
        }
        String[] parts = h.split("\\.", -1);
        String domain = clusterDomain.toLowerCase(Locale.ROOT);
        boolean service = switch (parts.length) {
            case 1, 2 -> true;
            case 3 -> parts[2].equals("svc");
            default -> h.equals(parts[0] + "." + parts[1] + ".svc." + domain);
        };
        if (!service) {
            return new Parsed(null, "the target host " + host + " is not a Service name (name, name.namespace, "
                    + "name.namespace.svc or name.namespace.svc." + clusterDomain + ")");
        }
        String namespace = parts.length == 1 ? ownNamespace : parts[1];
        if (!SERVICE.matcher(parts[0]).matches() || !NAMESPACE.matcher(namespace).matches()) {
            return new Parsed(null, "the target host " + host + " is not a valid Service name");
        }
        return new Parsed(new ServiceRef(parts[0], namespace), null);
    }
}
