package dev.mtlsprobe.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile read as stages of instructions (continuations joined, comments dropped). */
record Dockerfile(Path path, List<Stage> stages) {

    record Instruction(String keyword, String args) {
    }

    record Stage(String image, String name, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
        }

        String last(String keyword) {
            List<String> found = all(keyword);
            return found.isEmpty() ? null : found.get(found.size() - 1);
        }
    }

    static Dockerfile read(Path path) throws IOException {
        List<Stage> stages = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String raw : Files.readAllLines(path)) {
            String t = raw.strip();
            if (t.startsWith("#") || (t.isEmpty() && line.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                line.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            line.append(t);
            String full = line.toString().strip();
            line.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            int space = full.indexOf(' ');
            String keyword = (space < 0 ? full : full.substring(0, space)).toUpperCase(Locale.ROOT);
            String args = space < 0 ? "" : full.substring(space + 1).strip();
            if (keyword.equals("FROM")) {
                String[] parts = args.split("\\s+");
                String name = parts.length >= 3 && parts[1].equalsIgnoreCase("AS") ? parts[2] : null;
                stages.add(new Stage(parts[0], name, new ArrayList<>()));
            } else if (!stages.isEmpty()) {
                stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
            }
        }
        return new Dockerfile(path, stages);
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    /** COPY sources from the build context (not from another stage), flags removed. */
    static List<String[]> copies(Stage stage) {
        List<String[]> out = new ArrayList<>();
        for (String args : stage.all("COPY")) {
            List<String> words = new ArrayList<>(List.of(args.split("\\s+")));
            if (words.stream().anyMatch(w -> w.startsWith("--from="))) {
                continue;
            }
            words.removeIf(w -> w.startsWith("--"));
            out.add(words.toArray(String[]::new));
        }
        return out;
    }
}
