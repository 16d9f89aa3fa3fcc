package dev.tinyos.core;

import java.util.Locale;

/**
 * The two engines that run a hart's instructions: {@link #INTERP}, the interpreter over
 * decoded blocks, and {@link #JIT}, the same interpreter plus the compiler of hot code regions
 * to JVM bytecode (docs/engine.md). Both compute the same thing at the same instruction counts,
 * so the engine is no part of a trace: a trace recorded with one replays with the other.
 *
 * <p>Invariant: the engine of a hart is fixed when the hart is built, from the system property
 * {@value #PROPERTY} ({@code true}: JIT, {@code false}: INTERP, absent: {@link #DEFAULT});
 * {@link #select} sets that property for the machines built after it.
 */
public enum Engine {
    INTERP, JIT;

    /** The system property that chooses the engine of harts built from then on. */
    public static final String PROPERTY = "tinyos.jit";
    /** The engine when {@value #PROPERTY} is not set. */
    public static final Engine DEFAULT = JIT;

    /** The engine that harts built now get. */
    public static Engine current() {
        String v = System.getProperty(PROPERTY);
        return v == null ? DEFAULT : Boolean.parseBoolean(v) ? JIT : INTERP;
    }

    /** Makes harts built from now on use {@code e}. */
    public static void select(Engine e) {
        System.setProperty(PROPERTY, Boolean.toString(e == JIT));
    }

    /** True if harts built now compile hot code. */
    public static boolean compilerOn() {
        return current() == JIT;
    }

    /** The name on the command line ({@code interp}, {@code jit}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
