package dev.mtlsprobe.probe;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ResolverTest {

    @Test
    void reservedInvalidNamesFailWithoutAQuery() {
        for (String name : new String[] {"invalid", "httpbin.invalid", "HTTPBIN.Team-App.INVALID."}) {
            UnknownHostException e = assertThrows(UnknownHostException.class, () -> Resolver.SYSTEM.resolve(name));
            assertTrue(e.getMessage().contains("RFC 6761"), e.getMessage());
        }
    }

    @Test
    void testsResolveOnlyFromTheirHostsFile() throws Exception {
        // Guards the rule that tests never query DNS: an ordinary name must fail from the hosts file alone.
        assertTrue(Resolver.SYSTEM.resolve("localhost").isLoopbackAddress());
        assertThrows(UnknownHostException.class, () -> Resolver.SYSTEM.resolve("httpbin-svc"));
    }
}
