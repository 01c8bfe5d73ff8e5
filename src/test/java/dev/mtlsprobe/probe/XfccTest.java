package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.model.PeerIdentity;
import dev.mtlsprobe.model.SpiffeId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XfccTest {

    static final String CLIENT = "spiffe://cluster.local/ns/team-app/sa/mtls-probe";
    static final String SERVER = "spiffe://cluster.local/ns/team-app/sa/httpbin";

    @Test
    void readsIstiosHeader() {
        String header = "By=" + SERVER + ";Hash=2f1c0a;Subject=\"\";URI=" + CLIENT;
        assertEquals(Optional.of(new PeerIdentity(CLIENT, SERVER)), Xfcc.identity(header));
    }

    @Test
    void readsQuotedValuesWithSeparatorsAndEscapes() {
        String header = "Hash=ab;Subject=\"CN=probe,O=a;b \\\"x\\\"\";URI=" + CLIENT + ";DNS=probe.local;DNS=other";
        List<Xfcc.Element> elements = Xfcc.parse(header).orElseThrow();
        assertEquals(1, elements.size());
        assertEquals(Optional.of("CN=probe,O=a;b \"x\""), elements.get(0).first("subject"));
        assertEquals(List.of("probe.local", "other"), elements.get(0).all("DNS"));
        assertEquals(Optional.of(new PeerIdentity(CLIENT, PeerIdentity.UNKNOWN)), Xfcc.identity(header));
    }

    @Test
    void takesTheHopNearestTheServerFromSeveralElements() {
        String header = "By=spiffe://td/a;URI=spiffe://td/first,By=" + SERVER + ";Cert=\"-----BEGIN%20CERT\";Chain=\"x\";URI="
                + CLIENT;
        assertEquals(2, Xfcc.parse(header).orElseThrow().size());
        assertEquals(Optional.of(new PeerIdentity(CLIENT, SERVER)), Xfcc.identity(header));
    }

    @Test
    void boundsIdentitiesThatWouldMakeHugeLabels() {
        String header = "By=" + SERVER + ";URI=spiffe://cluster.local/" + "x".repeat(300);
        assertEquals(Optional.of(new PeerIdentity(SpiffeId.INVALID, SERVER)), Xfcc.identity(header));
        assertEquals(Optional.of(new PeerIdentity(SpiffeId.INVALID, SpiffeId.INVALID)),
                Xfcc.identity("By=http://evil/<script>;URI=spiffe://td/../etc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage", "URI=\"open", "=x", "By=a;;URI=b", "URI=\"a\"junk", "Hash=abc"})
    void malformedOrWithoutClientUriGivesNoIdentity(String header) {
        assertEquals(Optional.empty(), Xfcc.identity(header));
    }

    @Test
    void refusesOversizedHeadersWithoutWorkingThroughThem() {
        assertTrue(Xfcc.parse("URI=" + "a".repeat(Xfcc.MAX_LENGTH)).isEmpty());
        assertTrue(Xfcc.parse("URI=a,".repeat(Xfcc.MAX_ELEMENTS + 1) + "URI=a").isEmpty());
    }
}
