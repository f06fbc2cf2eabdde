using System.Net;

namespace Nabla;

/// <summary>
/// A tensor in a .NET Interactive notebook, by its convention for formatters (see
/// <see cref="TypeFormatterSourceAttribute"/>): an object with <c>MimeType</c>, <c>Type</c> and
/// <c>Format(object, TextWriter)</c>. Shows <see cref="Tensor.ToString"/>, the values, instead of the
/// default table of public properties.
/// </summary>
/// <param name="mimeType">"text/plain" (the text as is) or "text/html" (the text, escaped, in a &lt;pre&gt;).</param>
internal sealed class TensorNotebookFormatter(string mimeType)
{
    public const string PlainText = "text/plain";
    public const string Html = "text/html";

    /// <summary>The MIME type this formatter writes.</summary>
    public string MimeType { get; } = mimeType;

    /// <summary>The type it formats.</summary>
    public Type Type => typeof(Tensor);

    /// <summary>Writes <paramref name="instance"/> if it is a tensor; false (not handled) otherwise.</summary>
    public bool Format(object instance, TextWriter writer)
    {
        if (instance is not Tensor tensor) return false;
        string text = tensor.ToString();
        writer.Write(MimeType == Html ? "<pre>" + WebUtility.HtmlEncode(text) + "</pre>" : text);
        return true;
    }
}

/// <summary>The formatter source <see cref="Tensor"/>'s <see cref="TypeFormatterSourceAttribute"/> names: plain text and HTML.</summary>
internal sealed class TensorNotebookFormatterSource
{
    /// <summary>One formatter per MIME type.</summary>
    public IEnumerable<object> CreateTypeFormatters() =>
        [new TensorNotebookFormatter(TensorNotebookFormatter.PlainText), new TensorNotebookFormatter(TensorNotebookFormatter.Html)];
}
