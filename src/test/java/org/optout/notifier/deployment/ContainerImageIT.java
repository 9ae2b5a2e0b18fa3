package org.optout.notifier.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What of the image build can be checked without a Docker engine: after {@code ./mvnw package}, every path the
 * Dockerfile copies exists in the fast-jar layout, the image runs as a non-root user, and it carries no secret.
 */
class ContainerImageIT {

    private static final Path DOCKERFILE = Path.of("src/main/docker/Dockerfile.jvm");

    @Test
    void everyLayerTheDockerfileCopiesWasBuiltByPackage() throws IOException {
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(DOCKERFILE)) {
            if (line.startsWith("COPY ")) {
                String[] words = line.trim().split("\\s+");
                sources.add(words[words.length - 2]);
            }
        }
        assertThat(sources).hasSize(4);
        for (String source : sources) {
            assertThat(matches(source)).as(source).isNotEmpty();
        }
        assertThat(Path.of("target/quarkus-app/quarkus-run.jar")).isRegularFile();
    }

    @Test
    void theImageStartsFromAClassDataArchiveItsOwnJvmWrote() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        assertThat(dockerfile).contains("RUN java -XX:ArchiveClassesAtExit=/deployments/app-cds.jsa")
                .contains("-jar /deployments/quarkus-run.jar")
                .contains("-XX:SharedArchiveFile=/deployments/app-cds.jsa")
                .contains("ENV JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
        // The build's own archive, which the packaged-application tests and the benchmark start with.
        assertThat(Path.of("target/quarkus-app/app-cds.jsa")).isNotEmptyFile();
    }

    @Test
    void theImageRunsAsANonRootUserWithoutSecrets() throws IOException {
        List<String> lines = Files.readAllLines(DOCKERFILE);
        assertThat(lines).contains("USER 185");
        assertThat(lines.stream().filter(line -> line.startsWith("ENV ")))
                .noneMatch(line -> line.matches("(?i).*(password|secret|key|token).*"));
        assertThat(lines.stream().filter(line -> line.startsWith("FROM "))).singleElement()
                .satisfies(from -> assertThat(from).matches("FROM \\S+:\\S+"));
    }

    /** The files a COPY source names, where it may end in a glob ({@code *.jar}) or a folder. */
    private static List<Path> matches(String source) throws IOException {
        Path path = Path.of(source);
        if (!path.getFileName().toString().contains("*")) {
            return Files.isDirectory(path) && !isEmpty(path) ? List.of(path) : List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path.getParent(), path.getFileName().toString())) {
            files.forEach(found::add);
        }
        return found;
    }

    private static boolean isEmpty(Path folder) throws IOException {
        try (var entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }
}
