package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mtlsprobe.testsupport.Prerequisites;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Renders kustomizations with {@code kubectl kustomize} (offline) and parses the output into typed objects. */
final class Kustomize {

    static final Path ROOT = Path.of("").toAbsolutePath();

    private Kustomize() {
    }

    /** kubectl is required in CI; elsewhere its absence skips the manifest tests with one line. */
    static Path kubectl() {
        return Prerequisites.tool("kubectl", "kubectl",
                "the manifest tests need `kubectl kustomize` (install kubectl 1.27 or later)");
    }

    /** Every kustomization to render: all of k8s/ and grafana/, except components (rendered through overlays). */
    static List<Path> kustomizations() throws IOException {
        try (Stream<Path> files = Stream.concat(Files.walk(ROOT.resolve("k8s")), Files.walk(ROOT.resolve("grafana")))) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(p -> !isComponent(p))
                    .map(Path::getParent)
                    .sorted()
                    .toList();
        }
    }

    static List<Path> components() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("k8s"))) {
            return files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                    .filter(Kustomize::isComponent).map(Path::getParent).sorted().toList();
        }
    }

    private static boolean isComponent(Path kustomization) {
        try {
            return Files.readAllLines(kustomization).stream().anyMatch(l -> l.strip().equals("kind: Component"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String renderText(Path dir) throws IOException, InterruptedException {
        Path err = Files.createTempFile("kustomize-", ".err");
        try {
            Process p = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString())
                    .redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + display(dir) + " did not finish");
            assertEquals(0, p.exitValue(), "kubectl kustomize " + display(dir) + " failed: "
                    + Files.readString(err));
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    static String display(Path dir) {
        return dir.startsWith(ROOT) ? ROOT.relativize(dir).toString() : dir.toString();
    }

    @SuppressWarnings("deprecation") // Serialization is the documented one-call multi-document parser
    static List<HasMetadata> parse(String yaml) {
        Object parsed = Serialization.unmarshal(yaml);
        if (parsed instanceof List<?> list) {
            return list.stream().map(HasMetadata.class::cast).toList();
        }
        return List.of((HasMetadata) parsed);
    }

    static List<HasMetadata> render(Path dir) throws IOException, InterruptedException {
        return parse(renderText(dir));
    }

    static List<HasMetadata> render(String relative) throws IOException, InterruptedException {
        return render(ROOT.resolve(relative));
    }

    /**
     * Renders what a user writes to combine the repository's kustomizations: a kustomization (under target/, since
     * kustomize takes no absolute paths) with these resources and components, given relative to the repository.
     */
    static List<HasMetadata> compose(String name, List<String> resources, List<String> components)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(ROOT.resolve("target/kustomize").resolve(name));
        StringBuilder k = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n");
        k.append("resources:\n");
        resources.forEach(r -> k.append("- ../../../").append(r).append('\n'));
        if (!components.isEmpty()) {
            k.append("components:\n");
            components.forEach(c -> k.append("- ../../../").append(c).append('\n'));
        }
        Files.writeString(dir.resolve("kustomization.yaml"), k.toString());
        return render(dir);
    }
}
