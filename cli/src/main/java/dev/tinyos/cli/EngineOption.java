package dev.tinyos.cli;

import dev.tinyos.core.Engine;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --engine interp|jit}, shared by every command that runs a machine (a picocli mixin,
 * defined once). Choosing an engine sets it for the machines the command builds afterwards
 * ({@link Engine#select}); a trace does not record it, so a trace replays under either.
 * Invariant: without the option the engine is {@link Engine#current()} (the default, or the
 * {@value Engine#PROPERTY} system property).
 */
public final class EngineOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The engine given on the command line, or null. */
    Engine chosen;

    @Option(names = "--engine", paramLabel = "interp|jit",
            description = "what runs the guest's instructions: interp = the interpreter; jit = the interpreter plus "
                    + "the compiler of hot code to JVM bytecode (docs/engine.md). Both compute the same thing at the "
                    + "same instruction counts, so traces replay under either (default: "
                    + "jit unless -Dtinyos.jit=false)")
    void engine(String name) {
        for (Engine e : Engine.values()) {
            if (e.cliName().equals(name)) {
                chosen = e;
                Engine.select(e);
                return;
            }
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "--engine must be interp or jit, not " + name);
    }
}
