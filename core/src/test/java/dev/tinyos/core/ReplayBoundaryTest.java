package dev.tinyos.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The replay boundary, enforced on bytecode: no class of core/ may read the host clock, start
 * or sleep threads, use executors or draw random numbers - except live input sources in
 * dev.tinyos.core.input that implement InputSource and are listed in {@link #LIVE_SOURCES}.
 */
class ReplayBoundaryTest {
    /** Internal names of live sources allowed to touch the host (none yet). */
    static final Set<String> LIVE_SOURCES = Set.of();

    static final String INPUT_PACKAGE = "dev/tinyos/core/input/";
    static final String INPUT_SOURCE = INPUT_PACKAGE + "InputSource";

    /** Why {@code owner.name} is forbidden, or null if it is allowed. */
    static String forbidden(String owner, String name) {
        switch (owner) {
            case "java/lang/System":
                return name.equals("currentTimeMillis") || name.equals("nanoTime") ? "reads the host clock" : null;
            case "java/lang/Math":
            case "java/lang/StrictMath":
                return name.equals("random") ? "uses randomness" : null;
            case "java/util/UUID":
                return name.equals("randomUUID") ? "uses randomness" : null;
            case "java/util/Random":
            case "java/util/SplittableRandom":
            case "java/security/SecureRandom":
            case "java/util/concurrent/ThreadLocalRandom":
                return "uses randomness";
            case "java/lang/Thread":
                return Set.of("<init>", "start", "sleep", "ofPlatform", "ofVirtual", "startVirtualThread",
                        "onSpinWait", "yield").contains(name) ? "starts or sleeps threads" : null;
            case "java/time/Clock":
            case "java/time/InstantSource":
                return "reads the host clock";
            case "java/util/Timer":
            case "java/util/concurrent/Executors":
            case "java/util/concurrent/ExecutorService":
            case "java/util/concurrent/ScheduledExecutorService":
            case "java/util/concurrent/ThreadPoolExecutor":
            case "java/util/concurrent/ScheduledThreadPoolExecutor":
            case "java/util/concurrent/ForkJoinPool":
                return "uses threads (executors/timers)";
            case "java/util/concurrent/CompletableFuture":
                return name.endsWith("Async") ? "uses threads (executors/timers)" : null;
            default:
                break;
        }
        if (owner.startsWith("java/time/") && name.equals("now")) {
            return "reads the host clock";
        }
        return null;
    }

    /** Every forbidden reference in one class file, as "class.method: owner.name (why)". */
    static List<String> violations(byte[] classFile) {
        List<String> out = new ArrayList<>();
        ClassReader reader = new ClassReader(classFile);
        String cls = reader.getClassName();
        if ("java/lang/Thread".equals(reader.getSuperName())) {
            out.add(cls + ": extends java/lang/Thread");
        }
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String desc, String sig, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9) {
                    private void check(String owner, String name) {
                        String why = forbidden(owner, name);
                        if (why != null) {
                            out.add(cls.replace('/', '.') + "." + method + ": " + owner.replace('/', '.')
                                    + "." + name + " (" + why + ")");
                        }
                    }

                    @Override
                    public void visitMethodInsn(int op, String owner, String name, String d, boolean itf) {
                        check(owner, name);
                    }

                    @Override
                    public void visitFieldInsn(int op, String owner, String name, String d) {
                        check(owner, name);
                    }

                    @Override
                    public void visitTypeInsn(int op, String type) {
                        check(type, "<init>");
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String d, Handle bsm, Object... args) {
                        for (Object a : args) {
                            if (a instanceof Handle h) {
                                check(h.getOwner(), h.getName());
                            }
                        }
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        if (value instanceof Handle h) {
                            check(h.getOwner(), h.getName());
                        } else if (value instanceof Type t && t.getSort() == Type.OBJECT) {
                            check(t.getInternalName(), "<class>");
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return out;
    }

    /** True if the class may touch the host: a whitelisted InputSource in the input package. */
    static boolean isAllowedLiveSource(byte[] classFile) {
        ClassReader r = new ClassReader(classFile);
        return r.getClassName().startsWith(INPUT_PACKAGE) && LIVE_SOURCES.contains(r.getClassName())
                && Arrays.asList(r.getInterfaces()).contains(INPUT_SOURCE);
    }

    static Path classesOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void coreNeverObservesTheHost() throws Exception {
        Path root = classesOf(Machine.class);
        List<String> bad = new ArrayList<>();
        int scanned = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                byte[] bytes = Files.readAllBytes(p);
                scanned++;
                if (!isAllowedLiveSource(bytes)) {
                    bad.addAll(violations(bytes));
                }
            }
        }
        assertTrue(scanned > 20, "expected to scan the core classes in " + root + ", found " + scanned);
        assertEquals(List.of(), bad, "classes outside the replay boundary observe the host");
    }

    /** A class that breaks every rule, to prove the scanner notices. */
    static final class Offender {
        long clock() {
            return System.nanoTime() + System.currentTimeMillis() + java.time.Instant.now().getNano();
        }

        double random() {
            return new java.util.Random(1).nextInt() + Math.random();
        }

        void thread() throws InterruptedException {
            new Thread(() -> { }).start();
            Thread.sleep(1);
            java.util.concurrent.Executors.newSingleThreadExecutor();
        }
    }

    @Test
    void theScannerCatchesOffenders() throws IOException {
        byte[] bytes;
        try (InputStream in = Offender.class.getResourceAsStream("ReplayBoundaryTest$Offender.class")) {
            bytes = in.readAllBytes();
        }
        String all = String.join("\n", violations(bytes));
        for (String s : List.of("Offender.clock: java.lang.System.nanoTime", "java.lang.System.currentTimeMillis",
                "java.time.Instant.now", "Offender.random: java.util.Random.<init>", "java.lang.Math.random",
                "Offender.thread: java.lang.Thread.<init>", "java.lang.Thread.start", "java.lang.Thread.sleep",
                "java.util.concurrent.Executors.newSingleThreadExecutor")) {
            assertTrue(all.contains(s), "missed " + s + " in:\n" + all);
        }
        assertTrue(!isAllowedLiveSource(bytes), "not whitelisted");
    }
}
