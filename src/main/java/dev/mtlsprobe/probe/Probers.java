package dev.mtlsprobe.probe;

import dev.mtlsprobe.model.Protocol;
import java.time.Duration;

/** The prober of a lane: each target is probed in the protocol its configuration names. */
public final class Probers {

    private Probers() {
    }

    public static Prober byProtocol(Resolver resolver, Dialer dialer, Duration timeout, String version) {
        Prober http = new HttpProber(resolver, dialer, timeout, version);
        Prober tcp = new TcpProber(resolver, dialer, timeout, version);
        return target -> target.protocol() == Protocol.TCP ? tcp.probe(target) : http.probe(target);
    }
}
