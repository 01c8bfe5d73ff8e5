package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The container images: pinned bases, non-root, the ports and layout the app and the manifests use. */
class DockerfilesTest {

    static final Path DOCKER = Kustomize.ROOT.resolve("src/main/docker");

    static List<Dockerfile> all() throws Exception {
        try (Stream<Path> s = Files.list(DOCKER)) {
            List<Dockerfile> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("Dockerfile.")).sorted().toList()) {
                out.add(Dockerfile.read(p));
            }
            return out;
        }
    }

    @Test
    void theThreeImagesExist() throws Exception {
        assertEquals(List.of("Dockerfile.jvm", "Dockerfile.native", "Dockerfile.native-micro"),
                all().stream().map(d -> d.path().getFileName().toString()).toList());
    }

    @Test
    void everyBaseImageIsPinnedAndTheRuntimeIsNotRoot() throws Exception {
        Properties app = ProbePairTest.applicationProperties();
        Set<String> ports = Set.of(app.getProperty("quarkus.http.port"), app.getProperty("quarkus.management.port"));
        for (Dockerfile d : all()) {
            String name = d.path().getFileName().toString();
            List<String> stageNames = new ArrayList<>();
            for (Dockerfile.Stage stage : d.stages()) {
                if (!stageNames.contains(stage.image())) {
                    RenderedManifestsTest.assertPinned(stage.image(), name + " FROM");
                }
                if (stage.name() != null) {
                    stageNames.add(stage.name());
                }
            }
            Dockerfile.Stage runtime = d.finalStage();
            String user = runtime.last("USER");
            assertNotNull(user, name + ": the runtime stage sets USER");
            // Numeric, so the kubelet can enforce runAsNonRoot without a passwd lookup.
            assertTrue(user.matches("[1-9][0-9]*(:[0-9]+)?"), name + ": USER must be a non-zero uid, was " + user);
            assertTrue(runtime.instructions().stream().map(Dockerfile.Instruction::keyword).toList()
                    .lastIndexOf("USER") > runtime.instructions().stream().map(Dockerfile.Instruction::keyword).toList()
                    .lastIndexOf("RUN"), name + ": nothing runs as root after USER");
            Set<String> exposed = runtime.all("EXPOSE").stream().flatMap(e -> Arrays.stream(e.split("\\s+")))
                    .collect(Collectors.toSet());
            assertEquals(ports, exposed, name + ": EXPOSE the application and management ports");
            assertTrue(runtime.last("ENTRYPOINT").startsWith("["), name + ": exec-form ENTRYPOINT (signals reach the app)");
        }
    }

    @Test
    void jvmImageRunsTheFastJarWithTheSmallPodFlags() throws Exception {
        Dockerfile jvm = Dockerfile.read(DOCKER.resolve("Dockerfile.jvm"));
        Dockerfile.Stage stage = jvm.finalStage();
        for (String[] copy : Dockerfile.copies(stage)) {
            assertTrue(copy[0].startsWith("target/quarkus-app/"), "copies from the fast-jar layout: " + copy[0]);
            assertTrue(copy[1].startsWith("/deployments/"), copy[1]);
        }
        List<String> entrypoint = entrypoint(stage);
        assertEquals(List.of("java", "-jar", "/deployments/quarkus-run.jar"), entrypoint);

        List<String> flags = jdkJavaOptions(stage);
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("-XX:MaxRAMPercentage=")),
                "heap sized from the container limit: " + flags);
        assertTrue(flags.stream().noneMatch(f -> f.startsWith("-Xmx")), "no fixed heap: it would ignore the limit");
        // The flags must be accepted by a Java 17 JVM: a typo would stop the container at start.
        // And they must give the heap the share of the pod's limit they say: below ~250 MiB of RAM the JVM sizes
        // the heap by MinRAMPercentage, so MaxRAMPercentage alone would give half the limit, not a quarter.
        long limit = 192L << 20;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-XX:MaxRAM=" + limit, "-XX:+PrintFlagsFinal", "-version"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "java " + flags + " -version: " + out);
        Matcher heap = Pattern.compile("\\sMaxHeapSize\\s*=\\s*(\\d+)").matcher(out);
        assertTrue(heap.find(), out);
        double share = Double.parseDouble(flags.stream().filter(f -> f.startsWith("-XX:MaxRAMPercentage="))
                .findFirst().orElseThrow().split("=")[1]) / 100;
        long max = Long.parseLong(heap.group(1));
        assertTrue(Math.abs(max - limit * share) <= 2 << 20, "heap at the limit " + (limit >> 20) + " MiB: "
                + (max >> 20) + " MiB, expected " + share * 100 + " %");
    }

    @Test
    void nativeImagesCopyTheRunnerOfTheNativeProfile() throws Exception {
        String pom = Files.readString(Kustomize.ROOT.resolve("pom.xml"));
        String runner = artifactId(pom) + "-" + version(pom) + "-runner";
        Matcher profile = Pattern.compile("<profile>\\s*<id>native</id>(.*?)</profile>", Pattern.DOTALL).matcher(pom);
        assertTrue(profile.find(), "pom.xml has the native profile");
        assertTrue(profile.group(1).contains("<quarkus.native.enabled>true</quarkus.native.enabled>"), profile.group(1));

        Dockerfile multi = Dockerfile.read(DOCKER.resolve("Dockerfile.native"));
        assertEquals(2, multi.stages().size(), "builder and runtime stages");
        Dockerfile.Stage build = multi.stages().get(0);
        assertTrue(build.image().contains("mandrel-builder-image"), build.image());
        assertTrue(build.all("RUN").stream().anyMatch(r -> r.contains("package") && r.contains("-Pnative")),
                "the builder runs the native profile");
        String fromBuild = multi.finalStage().all("COPY").stream().filter(c -> c.contains("--from=" + build.name()))
                .findFirst().orElseThrow();
        assertTrue(glob(fromBuild.split("\\s+")[fromBuild.split("\\s+").length - 2], "/code/target/" + runner), fromBuild);
        // A Mandrel UBI 9 build links against UBI 9's glibc: the runtime must be UBI 9 as well.
        assertTrue(build.image().contains("ubi9") && multi.finalStage().image().contains("ubi9"),
                build.image() + " / " + multi.finalStage().image());

        Dockerfile micro = Dockerfile.read(DOCKER.resolve("Dockerfile.native-micro"));
        List<String[]> copies = Dockerfile.copies(micro.finalStage());
        assertEquals(1, copies.size());
        assertTrue(glob(copies.get(0)[0], "target/" + runner), copies.get(0)[0]);
        for (Dockerfile d : List.of(multi, micro)) {
            assertEquals(List.of("./application"), entrypoint(d.finalStage()));
            assertEquals("/work/", d.finalStage().last("WORKDIR"));
        }
    }

    @Test
    void theManifestsRunTheImageOfThisVersion() throws Exception {
        String pom = Files.readString(Kustomize.ROOT.resolve("pom.xml"));
        String deployment = Files.readString(Kustomize.ROOT.resolve("k8s/base/probe/deployment.yaml"));
        assertTrue(deployment.contains("image: ghcr.io/mtls-probe/mtls-probe:" + version(pom) + "\n"),
                "k8s/base/probe/deployment.yaml runs ghcr.io/mtls-probe/mtls-probe:" + version(pom));
    }

    static List<String> entrypoint(Dockerfile.Stage stage) throws Exception {
        return Arrays.asList(new ObjectMapper().readValue(stage.last("ENTRYPOINT"), String[].class));
    }

    static List<String> jdkJavaOptions(Dockerfile.Stage stage) {
        Matcher m = Pattern.compile("JDK_JAVA_OPTIONS=\"([^\"]*)\"").matcher(String.join("\n", stage.all("ENV")));
        assertTrue(m.find(), "Dockerfile.jvm sets JDK_JAVA_OPTIONS");
        return List.of(m.group(1).strip().split("\\s+"));
    }

    private static boolean glob(String pattern, String path) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(path));
    }

    private static final Pattern COORDINATES = Pattern.compile(
            "<groupId>dev\\.mtlsprobe</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*<version>([^<]+)</version>");

    private static String artifactId(String pom) {
        Matcher m = COORDINATES.matcher(pom);
        assertTrue(m.find(), "project coordinates in pom.xml");
        return m.group(1);
    }

    static String version(String pom) {
        Matcher m = COORDINATES.matcher(pom);
        assertTrue(m.find(), "project coordinates in pom.xml");
        return m.group(2);
    }
}
