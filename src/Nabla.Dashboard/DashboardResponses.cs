using Microsoft.AspNetCore.Http;

namespace Nabla.Dashboard;

/// <summary>The headers every answer carries, and the plain answers of the API.</summary>
internal static class DashboardResponses
{
    /// <summary>
    /// Scripts, styles and connections from this server only, and nothing inline: even a string that escaped the page's
    /// escaping could not run. No framing (clickjacking), no referrer, no content-type guessing.
    /// </summary>
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>Adds the security headers to <paramref name="response"/>.</summary>
    public static void Secure(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    /// <summary>Answers with <paramref name="status"/> and one line of text.</summary>
    public static Task Text(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    /// <summary>Answers with JSON that <see cref="RunJson"/> wrote.</summary>
    public static Task Json(HttpContext context, byte[] json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.Body.WriteAsync(json, context.RequestAborted).AsTask();
    }

    /// <summary>Answers with a file of the page.</summary>
    public static Task File(HttpContext context, byte[] content, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.Body.WriteAsync(content, context.RequestAborted).AsTask();
    }
}
