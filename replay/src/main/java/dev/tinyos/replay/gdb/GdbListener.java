package dev.tinyos.replay.gdb;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Listens for gdb on localhost only (never another interface: the stub reads any guest
 * memory) and serves one connection with a {@link GdbServer}. Invariant: the port is bound
 * before {@link #announce} names it, so a gdb started after that line connects.
 */
public final class GdbListener implements AutoCloseable {
    private final ServerSocket server;

    /** Binds localhost:{@code port} (0: any free port). */
    public GdbListener(int port) throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The one line that tells the user where to connect. */
    public void announce(PrintStream err, String what) {
        err.println("tinyos: gdb stub for " + what + " listening on localhost:" + port()
                + " (gdb-multiarch: target remote :" + port() + ")");
    }

    /** Waits for gdb, then serves it until it detaches or disconnects. */
    public void serveOne(DebugTarget target) throws IOException {
        try (Socket s = server.accept()) {
            s.setTcpNoDelay(true);
            new GdbServer(new RspConnection(s.getInputStream(), s.getOutputStream()), target).serve();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
