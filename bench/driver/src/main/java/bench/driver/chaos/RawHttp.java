package bench.driver.chaos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request written byte for byte on its own connection, so that a request line or a
 * header may carry what a client library refuses to send (NUL, control characters, bad escapes).
 * Reads the status line, and for a 5xx the start of the body.
 */
final class RawHttp {

    /** status: the HTTP status; -1 no answer within the timeout; -2 connection closed without an answer. */
    record Result(int status, long micros, String snippet) {}

    private RawHttp() {}

    static Result send(String host, int port, FuzzRequest r, int timeoutMs) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2_000);
            s.setSoTimeout(timeoutMs);
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((r.method() + " " + r.target() + " HTTP/1.1\r\n").getBytes(StandardCharsets.UTF_8));
            for (FuzzRequest.Header h : r.headers()) {
                head.writeBytes(h.name().getBytes(StandardCharsets.ISO_8859_1));
                head.writeBytes(": ".getBytes(StandardCharsets.ISO_8859_1));
                head.writeBytes(h.value());
                head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            if (r.body() != null) {
                head.writeBytes(("Content-Length: " + r.body().length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            head.writeBytes("Connection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            try {
                out.write(head.toByteArray());
                if (r.body() != null) {
                    out.write(r.body());
                }
                out.flush();
            } catch (IOException refusedEarly) {
                // the server may answer and close before it has read everything: read its answer
            }
            InputStream in = s.getInputStream();
            String statusLine = line(in);
            if (statusLine == null) {
                return new Result(-2, micros(t0), "");
            }
            String[] f = statusLine.split(" ");
            int status = f.length > 1 ? Integer.parseInt(f[1]) : -2;
            String snippet = "";
            if (status >= 500) {
                s.setSoTimeout(1_000);
                byte[] rest = new byte[1500];
                int n = 0;
                try {
                    int k;
                    while (n < rest.length && (k = in.read(rest, n, rest.length - n)) > 0) {
                        n += k;
                    }
                } catch (IOException ignored) {
                    // what came is enough
                }
                String text = new String(rest, 0, n, StandardCharsets.UTF_8);
                int body = text.indexOf("\r\n\r\n");
                snippet = (body >= 0 ? text.substring(body + 4) : text).replaceAll("\\s+", " ").trim();
            }
            return new Result(status, micros(t0), snippet.length() > 300 ? snippet.substring(0, 300) : snippet);
        } catch (SocketTimeoutException e) {
            return new Result(-1, micros(t0), "");
        } catch (IOException | NumberFormatException e) {
            return new Result(-2, micros(t0), String.valueOf(e.getMessage()));
        }
    }

    private static long micros(long t0) {
        return (System.nanoTime() - t0) / 1000;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1).trim();
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1).trim();
    }
}
