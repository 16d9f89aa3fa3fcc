package dev.tinyos.core.input;

/**
 * What an {@link InputSource} may do to the machine when it delivers inputs. Implemented by
 * the machine; each call takes effect at the instruction boundary being delivered.
 */
public interface InputSink {

    /**
     * True if the UART receiver can take another byte without overflowing its FIFO. Sources
     * should hold typed bytes back while this is false, as a real terminal line would be
     * flow-controlled; the answer is a deterministic function of the machine state.
     */
    boolean uartCanReceive();

    /** A byte typed on the console arrives at the UART receiver. */
    void uartByte(int b);

    /** Device request {@code tag} of device {@code device} (see {@link InputSource#requestStarted}) completes. */
    void requestCompleted(int device, long tag);

    /** The user asked to stop the machine now (Ctrl-A x, a power cut at a chosen icount). */
    void stop();
}
