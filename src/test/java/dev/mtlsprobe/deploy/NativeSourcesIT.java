package dev.mtlsprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `-Pnative` up to the native-image call (GraalVM/Mandrel is not on our machines): Quarkus's sources-only
 * mode writes the exact native-image arguments and the reflection registrations it generated, so the native
 * profile and what the JSON API needs at run time are checked here; only the compiler itself is not.
 */
class NativeSourcesIT {

    private static final List<Class<? extends java.lang.annotation.Annotation>> HTTP_METHODS = List.of(
            jakarta.ws.rs.GET.class, jakarta.ws.rs.POST.class, jakarta.ws.rs.PUT.class, jakarta.ws.rs.DELETE.class);

    @Test
    void nativeProfileRegistersEveryTypeTheJsonApiSerialises(@TempDir Path project) throws Exception {
        for (String part : List.of("pom.xml", "mvnw", ".mvn", "src/main")) {
            copy(Kustomize.ROOT.resolve(part), project.resolve(part));
        }
        List<String> cmd = new ArrayList<>(List.of(project.resolve("mvnw").toString(), "-B", "-q", "package", "-Pnative",
                "-DskipTests", "-Dquarkus.native.sources-only=true"));
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        Path log = project.resolve("build.log");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "native sources build timed out");
        assertEquals(0, p.exitValue(), "./mvnw package -Pnative -Dquarkus.native.sources-only=true:\n" + Files.readString(log));

        Path sources = project.resolve("target/native-sources");
        String args = Files.readString(sources.resolve("native-image.args"));
        assertTrue(args.contains("--no-fallback"), "a JVM fallback image would hide missing registrations: " + args);
        Path runner;
        try (Stream<Path> s = Files.list(sources)) {
            runner = s.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
        }
        Set<String> registered = new HashSet<>();
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            JsonNode config = new ObjectMapper().readTree(jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json")));
            for (JsonNode e : config) {
                if (e.path("allDeclaredMethods").asBoolean() || e.path("allDeclaredFields").asBoolean()) {
                    registered.add(e.get("name").asText());
                }
            }
        }
        Set<String> needed = apiTypes();
        assertTrue(needed.contains("dev.mtlsprobe.web.StatusView"), "found the JSON API's types: " + needed);
        Set<String> missing = new TreeSet<>(needed);
        missing.removeAll(registered);
        assertEquals(Set.of(), missing, "types serialised by the REST API but not registered for reflection");
        // The Kubernetes awareness reads PeerAuthentications as generic resources.
        assertTrue(registered.contains("io.fabric8.kubernetes.api.model.GenericKubernetesResource"));
    }

    /** Project types reachable from the return types of the REST resource methods. */
    private static Set<String> apiTypes() throws Exception {
        Path classes = Kustomize.ROOT.resolve("target/classes");
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path f : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '.').replaceAll("\\.class$", "");
                if (!name.startsWith("dev.mtlsprobe.")) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, NativeSourcesIT.class.getClassLoader());
                for (Method m : c.getDeclaredMethods()) {
                    if (HTTP_METHODS.stream().anyMatch(m::isAnnotationPresent)) {
                        walk(m.getGenericReturnType(), out);
                    }
                }
            }
        }
        return out;
    }

    private static void walk(Type t, Set<String> out) {
        if (t instanceof ParameterizedType pt) {
            walk(pt.getRawType(), out);
            for (Type a : pt.getActualTypeArguments()) {
                walk(a, out);
            }
        } else if (t instanceof GenericArrayType at) {
            walk(at.getGenericComponentType(), out);
        } else if (t instanceof Class<?> c) {
            if (c.isArray()) {
                walk(c.getComponentType(), out);
            } else if (c.getName().startsWith("dev.mtlsprobe.") && !c.isEnum() && out.add(c.getName())) {
                if (c.isRecord()) {
                    for (RecordComponent rc : c.getRecordComponents()) {
                        walk(rc.getGenericType(), out);
                    }
                } else {
                    for (Field f : c.getDeclaredFields()) {
                        if (!Modifier.isStatic(f.getModifiers())) {
                            walk(f.getGenericType(), out);
                        }
                    }
                }
            }
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
