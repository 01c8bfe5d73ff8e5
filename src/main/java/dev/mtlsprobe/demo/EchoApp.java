package dev.mtlsprobe.demo;

import java.io.IOException;
import java.net.Socket;

/** The demo's httpbin: {@code /headers} echoes the request headers as JSON, {@code /status/N} answers N. */
final class EchoApp extends DemoServer {

    EchoApp() throws IOException {
        super("httpbin");
    }

    @Override
    void handle(Socket socket) throws IOException {
        DemoHttp.Head head = DemoHttp.readHead(socket.getInputStream(), new byte[0]);
        String path = head.path();
        if (path.equals("/headers") || path.startsWith("/headers?")) {
            DemoHttp.respond(socket.getOutputStream(), 200, "application/json", headersJson(head));
        } else if (path.matches("/status/[1-5][0-9][0-9]")) {
            DemoHttp.respond(socket.getOutputStream(), Integer.parseInt(path.substring(8)), "text/plain", "");
        } else {
            DemoHttp.respond(socket.getOutputStream(), 404, "text/plain", "not found");
        }
    }

    static String headersJson(DemoHttp.Head head) {
        StringBuilder sb = new StringBuilder("{\n  \"headers\": {");
        String sep = "\n";
        for (String[] h : head.headers()) {
            sb.append(sep).append("    ").append(quote(h[0])).append(": ").append(quote(h[1]));
            sep = ",\n";
        }
        return sb.append("\n  }\n}\n").toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
