package io.fulcrum.model;

/**
 * Redirect with ALB's placeholders {@code #{protocol} #{host} #{port} #{path} #{query}}; each part
 * defaults to the placeholder of its own name, so an empty redirect keeps the request's URL.
 *
 * @param path must start with "/"; default "/#{path}"
 * @param statusCode 301 or 302
 */
public record RedirectAction(String protocol, String host, String port, String path, String query,
                             int statusCode) implements Action {
    public RedirectAction {
        protocol = protocol == null ? "#{protocol}" : protocol;
        host = host == null ? "#{host}" : host;
        port = port == null ? "#{port}" : port;
        path = path == null ? "/#{path}" : path;
        query = query == null ? "#{query}" : query;
    }

    @Override
    public String type() {
        return "redirect";
    }
}
