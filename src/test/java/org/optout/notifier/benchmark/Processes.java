package org.optout.notifier.benchmark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Child processes of the harness: each is stopped when the harness ends, however it ends. */
public final class Processes {

    private Processes() {
    }

    /** A JVM running {@code mainClass} from the harness's own class path. */
    public static Process java(String mainClass, List<String> jvmOptions, List<String> args, Path log)
            throws IOException {
        return java(mainClass, jvmOptions, args, java.util.Map.of(), log);
    }

    /** The same, with these variables added to the harness's environment. */
    public static Process java(String mainClass, List<String> jvmOptions, List<String> args,
            java.util.Map<String, String> environment, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(args);
        return start(command, environment, log);
    }

    public static Process start(List<String> command, Path log) throws IOException {
        return start(command, java.util.Map.of(), log);
    }

    /** A command with these variables added to the harness's environment. */
    public static Process start(List<String> command, java.util.Map<String, String> environment, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    public static void await(Duration timeout, String what, Process process, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + ": the process ended with " + process.exitValue());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " not ready within " + timeout);
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, then SIGKILL if it does not end within 20 s. */
    public static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public static void deleteRecursively(Path folder) throws IOException {
        if (Files.exists(folder)) {
            try (var paths = Files.walk(folder)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resident and peak resident memory of a process, in MiB, from {@code /proc/<pid>/status}. */
    public static double residentMiB(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
            return Double.NaN;
        } catch (IOException gone) {
            return Double.NaN;
        }
    }
}
