package dev.tinyos.core.state;

/**
 * A component whose future depends on state a checkpoint must hold. Invariant: after
 * {@code restore} of what {@code save} wrote, the component behaves exactly as it did when
 * saved; caches derived from the state are not saved, they are rebuilt.
 */
public interface Saveable {
    void save(StateWriter w);

    void restore(StateReader r);
}
