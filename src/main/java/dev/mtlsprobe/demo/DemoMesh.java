package dev.mtlsprobe.demo;

import dev.mtlsprobe.config.Settings;
import dev.mtlsprobe.model.Role;
import dev.mtlsprobe.model.TargetSpec;
import dev.mtlsprobe.pipeline.Lane;
import dev.mtlsprobe.pipeline.LaneSource;
import dev.mtlsprobe.probe.Dialer;
import dev.mtlsprobe.probe.Probers;
import dev.mtlsprobe.probe.Resolver;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jboss.logging.Logger;

/**
 * The embedded demo mesh: an httpbin, a server-side sidecar enforcing STRICT or PERMISSIVE with real mTLS, a
 * client-side sidecar with its own SPIFFE identity, and two probe lanes running the production prober
 * unchanged. Only the network path differs between the lanes, as in a cluster: the sidecar lane's
 * connections are "captured" by the client sidecar, the naked lane's go straight to the server sidecar.
 *
 * <p>Built only into dev and test builds and started only when {@code mtls-probe.demo.enabled=true}: the
 * packaged production application does not contain this bean.
 */
@ApplicationScoped
@IfBuildProfile(anyOf = {"dev", "test"})
public class DemoMesh implements LaneSource {

    public static final String SERVER_ID = "spiffe://cluster.local/ns/demo/sa/httpbin";
    public static final String CLIENT_ID = "spiffe://cluster.local/ns/demo/sa/probe-sidecar";
    /** Target hosts under this suffix are served by the demo mesh (e.g. {@code httpbin.demo}). */
    public static final String DOMAIN = ".demo";

    private static final Logger LOG = Logger.getLogger("dev.mtlsprobe.demo");

    private volatile boolean running;
    private volatile MeshPolicy policy = MeshPolicy.STRICT;
    private EchoApp app;
    private ServerSidecar serverSidecar;
    private ClientSidecar clientSidecar;

    public boolean running() {
        return running;
    }

    @Override
    public boolean applies(Settings settings) {
        return settings.demo().enabled();
    }

    @Override
    public LaneSource.MeshNote note() {
        return new LaneSource.MeshNote(policy.name(), SERVER_ID, CLIENT_ID);
    }

    @Override
    public synchronized List<Lane> start(Settings settings, String version) {
        policy = MeshPolicy.valueOf(settings.demo().policy()); // validated by the configuration phase
        Duration timeout = settings.probe().timeout();
        try {
            DemoPki pki = new DemoPki();
            app = new EchoApp();
            serverSidecar = new ServerSidecar(pki.issue(SERVER_ID), app.port(), () -> policy);
            clientSidecar = new ClientSidecar(pki.issue(CLIENT_ID), serverSidecar.port());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("demo mesh: could not start: " + e.getMessage(), e);
        }
        running = true;
        LOG.infof("demo mesh: started (httpbin :%d behind its sidecar :%d, policy %s; client sidecar :%d as %s)",
                app.port(), serverSidecar.port(), policy, clientSidecar.port(), CLIENT_ID);
        return List.of(
                new Lane(Role.SIDECAR, Probers.byProtocol(resolver(), dialer(clientSidecar.port()), timeout, version),
                        () -> true),
                new Lane(Role.NAKED, Probers.byProtocol(resolver(), dialer(serverSidecar.port()), timeout, version),
                        () -> true));
    }

    /** Where plaintext from a pod without a sidecar lands: the server sidecar's port. */
    public int serverSidecarPort() {
        return serverSidecar.port();
    }

    public String serverId() {
        return SERVER_ID;
    }

    public String clientId() {
        return CLIENT_ID;
    }

    public MeshPolicy policy() {
        return policy;
    }

    public void policy(MeshPolicy next) {
        MeshPolicy before = policy;
        policy = next;
        if (before != next) {
            LOG.infof("demo mesh: PeerAuthentication %s -> %s (applies to new connections)", before, next);
        }
    }

    void stop(@Observes ShutdownEvent event) throws IOException {
        for (DemoServer s : new DemoServer[] {clientSidecar, serverSidecar, app}) {
            if (s != null) {
                s.close();
            }
        }
    }

    private static boolean inMesh(String host) {
        return host.toLowerCase(Locale.ROOT).endsWith(DOMAIN);
    }

    /** Demo service names resolve to loopback, like cluster DNS resolving a Service name. */
    private static Resolver resolver() {
        return host -> inMesh(host) ? InetAddress.getLoopbackAddress() : Resolver.SYSTEM.resolve(host);
    }

    /** Connections to demo services land on {@code port}, like iptables capture; others go direct. */
    private static Dialer dialer(int port) {
        return (address, target, timeoutMillis) -> inMesh(target.host())
                ? Dialer.open(new InetSocketAddress(address, port), timeoutMillis)
                : Dialer.DIRECT.connect(address, target, timeoutMillis);
    }

    /** Whether a target is served by the demo mesh. */
    public static boolean serves(TargetSpec target) {
        return inMesh(target.host());
    }
}
