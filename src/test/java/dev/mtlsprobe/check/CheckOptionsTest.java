package dev.mtlsprobe.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.config.RoleSetting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The check's command line: what each option sets, and one line naming option, value and fix for each bad one. */
class CheckOptionsTest {

    @Test
    void defaultsCheckEveryConfiguredTargetThreeTimesInText() {
        CheckOptions o = CheckOptions.parse(List.of());
        assertEquals(Optional.empty(), o.role());
        assertEquals(Map.of(), o.targets());
        assertEquals(3, o.attempts());
        assertEquals(CheckOptions.Format.TEXT, o.format());
        assertEquals(Optional.empty(), o.output());
        assertEquals(Duration.ofSeconds(30), o.sidecarWait());
        assertFalse(o.help());
        assertEquals(Map.of(), o.properties(), "no option, no configuration of its own");
    }

    @Test
    void everyOptionInBothSpellings() {
        CheckOptions o = CheckOptions.parse(List.of("--role", "naked", "--target=httpbin=http://h:8080/headers?a=b",
                "--target", "orders", "--attempts=5", "--format", "JUnit", "--output=r.xml", "--sidecar-wait", "0s"));
        assertEquals(Optional.of(RoleSetting.NAKED), o.role());
        Map<String, Optional<String>> targets = new LinkedHashMap<>();
        targets.put("httpbin", Optional.of("http://h:8080/headers?a=b"));
        targets.put("orders", Optional.empty());
        assertEquals(targets, o.targets());
        assertEquals(List.of("httpbin", "orders"), List.copyOf(o.targets().keySet()), "in the order given");
        assertEquals(5, o.attempts());
        assertEquals(CheckOptions.Format.JUNIT, o.format());
        assertEquals(Optional.of(Path.of("r.xml")), o.output());
        assertEquals(Duration.ZERO, o.sidecarWait());
    }

    @Test
    void roleAndTargetUrlsBecomeTheServicesKeysWhileASelectedTargetSetsNothing() {
        CheckOptions o = CheckOptions.parse(List.of("--role", "sidecar", "--target", "a=http://a:1/headers",
                "--target", "b"));
        assertEquals(Map.of("mtls-probe.role", "sidecar", "mtls-probe.targets.a.url", "http://a:1/headers"),
                o.properties());
    }

    @Test
    void helpInEitherSpelling() {
        assertTrue(CheckOptions.parse(List.of("--help")).help());
        assertTrue(CheckOptions.parse(List.of("-h")).help());
        assertTrue(CheckOptions.USAGE.contains("exits 0 when all pass, 1 when any fails"), CheckOptions.USAGE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--attempts 0|Invalid option: --attempts=\"0\": use 1 to 100 (each attempt may take the whole timeout, so the check stays bounded); e.g. --attempts 3",
        "--attempts 101|Invalid option: --attempts=\"101\": use 1 to 100 (each attempt may take the whole timeout, so the check stays bounded); e.g. --attempts 3",
        "--attempts three|Invalid option: --attempts=\"three\": not a whole number; use e.g. --attempts 3",
        "--attempts 99999999999|Invalid option: --attempts=\"99999999999\": not a whole number; use e.g. --attempts 3",
        "--attempts|Invalid option: --attempts: needs a value; see check --help",
        "--role both|Invalid option: --role=\"both\": use auto, sidecar or naked",
        "--format xml|Invalid option: --format=\"xml\": use text, json or junit",
        "--sidecar-wait 10|Invalid option: --sidecar-wait=\"10\": use a duration from 0s to 300s, e.g. 30s",
        "--sidecar-wait 6m|Invalid option: --sidecar-wait=\"6m\": use a duration from 0s to 300s, e.g. 30s",
        "--output=|Invalid option: --output=\"\": name the file, e.g. --output mtls-check.xml",
        "--target =http://h/|Invalid option: --target=\"=http://h/\": name the target, e.g. --target httpbin=http://httpbin-svc:8080/headers",
        "--target a=|Invalid option: --target=\"a=\": the URL is empty; give one after '=' or leave out '=' to select a configured target",
        "--target a --target a=http://h/|Invalid option: --target=\"a=http://h/\": the target a is named twice; name it once",
        "--format json --format text|Invalid option: --format=\"text\": given twice; give it once",
        "--verbose|Invalid option: --verbose: not an option of check; see check --help",
        "httpbin|Invalid option: httpbin: check takes no arguments, only options; see check --help",
    })
    void aBadCommandLineIsOneLineWithOptionValueAndFix(String args, String line) {
        UsageException e = assertThrows(UsageException.class, () -> CheckOptions.parse(List.of(args.split(" "))));
        assertEquals(line, e.getMessage());
    }

    @Test
    void hostileValuesCannotForgeALineOrRewriteTheTerminal() {
        UsageException e = assertThrows(UsageException.class,
                () -> CheckOptions.parse(List.of("--format", "json\nERROR forged\u001b[31m\"")));
        assertEquals("Invalid option: --format=\"json\\nERROR forged\\u001b[31m\\\"\": use text, json or junit",
                e.getMessage());
        assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), e.getMessage());
        UsageException name = assertThrows(UsageException.class,
                () -> CheckOptions.parse(List.of("--x\r\nforged")));
        assertEquals(1, name.getMessage().lines().count(), name.getMessage());
        String huge = "x".repeat(100_000);
        UsageException big = assertThrows(UsageException.class, () -> CheckOptions.parse(List.of("--role", huge)));
        assertTrue(big.getMessage().length() < 400, "bounded: " + big.getMessage().length());
    }
}
