package testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for requests that HTTP clients refuse to send or rewrite (two Host
 * headers, absolute-form targets, dot-segments, both Content-Length and Transfer-Encoding). The
 * request is sent as given; the answer is read until the server closes the connection.
 */
public final class RawHttp {

    private RawHttp() {}

    /** A response: the status line's code, the header block as text, and the body as sent (chunked stays chunked). */
    public record Response(int status, String head, String body) {

        /** The first value of a header, or "" when absent. */
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    /** Sends {@code request} (bytes as given, ISO-8859-1 apart from UTF-8 in {@link #send(String, byte[])}) to the server at {@code baseUrl}. */
    public static Response send(String baseUrl, String request) throws IOException {
        return send(baseUrl, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response send(String baseUrl, byte[] request) throws IOException {
        return send(baseUrl, request, null);
    }

    /**
     * Sends {@code request} from a given local address (for example another loopback address than
     * 127.0.0.1, to be another client to the server), or from any when it is null.
     */
    public static Response send(String baseUrl, byte[] request, java.net.InetAddress from) throws IOException {
        URI uri = URI.create(baseUrl);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort(), from, 0)) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (SocketException closedEarly) {
                // the server may answer and close before reading all of an oversized request
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                    if (complete(answer.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketException reset) {
                // a reset after the answer was written: keep what arrived
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (!text.startsWith("HTTP/1.") || end < 0) {
                throw new IOException("no HTTP answer to " + new String(request, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("")
                        + ": '" + text + "'");
            }
            int status = Integer.parseInt(text.substring(9, 12));
            return new Response(status, text.substring(0, end), text.substring(end + 4));
        }
    }

    /** Whether a whole response with a Content-Length (or an empty chunked terminator) has arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        int at = head.indexOf("\r\ncontent-length:");
        if (at >= 0) {
            int lineEnd = head.indexOf("\r\n", at + 2);
            String value = head.substring(at + "\r\ncontent-length:".length(), lineEnd < 0 ? head.length() : lineEnd).trim();
            return text.length() - end - 4 >= Integer.parseInt(value);
        }
        return head.contains("transfer-encoding: chunked") && text.endsWith("\r\n0\r\n\r\n");
    }
}
