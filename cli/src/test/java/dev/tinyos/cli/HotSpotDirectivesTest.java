package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The compiler directives the launcher gives runs of the compiler engine
 * ({@code cli/hotspot/directives.json}): a file HotSpot cannot parse stops the JVM from starting
 * at all, and a directive whose method was renamed silently does nothing. So: this JDK parses
 * the file, and every method it names exists.
 */
class HotSpotDirectivesTest {
    private static final Path FILE = Home.root().resolve("cli/hotspot/directives.json");

    @Test
    void hotSpotParsesTheFile() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-XX:+UnlockDiagnosticVMOptions",
                "-XX:CompilerDirectivesFile=" + FILE.toAbsolutePath(), "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("1 compiler directives added"), out);
    }

    @Test
    void everyMethodItNamesExists() throws Exception {
        Matcher m = Pattern.compile("match: \"([\\w.$]+)::(\\w+)\"").matcher(Files.readString(FILE));
        int named = 0;
        while (m.find()) {
            Class<?> c = Class.forName(m.group(1));
            String method = m.group(2);
            assertTrue(Arrays.stream(c.getDeclaredMethods()).map(Method::getName).anyMatch(method::equals),
                    m.group(1) + " has no method " + method);
            named++;
        }
        assertEquals(1, named, "directives found in " + FILE);
    }
}
