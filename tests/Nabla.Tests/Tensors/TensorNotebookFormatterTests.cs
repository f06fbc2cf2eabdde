using System.Collections;
using System.Reflection;

namespace Nabla.Tests.Tensors;

/// <summary>
/// A tensor in a .NET Interactive notebook: the lookup below is the one .NET Interactive makes for a
/// formatter by convention (Formatter.TryRegisterFromConventionBasedFormatterSources: an attribute
/// named TypeFormatterSourceAttribute with FormatterSourceType, an instance of it made with
/// Activator, its CreateTypeFormatters(), each result's MimeType, Type and Format(object, TextWriter)
/// found by name), so the tensor shows its values, not its property table.
/// </summary>
public class TensorNotebookFormatterTests
{
    private static readonly Tensor Matrix = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], [2, 2]).RequiresGradient();

    /// <summary>The formatter by convention for <paramref name="mimeType"/>, as .NET Interactive finds it.</summary>
    private static Func<object, TextWriter, bool> ConventionFormatter(Type type, string mimeType)
    {
        var attribute = type.GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        var sourceType = (Type)attribute.GetType().GetProperty("FormatterSourceType")!.GetValue(attribute)!;
        var source = Activator.CreateInstance(sourceType)!;
        var formatters = (IEnumerable)sourceType.GetMethod("CreateTypeFormatters")!.Invoke(source, null)!;
        foreach (object formatter in formatters)
        {
            var formatterType = formatter.GetType();
            if ((string?)formatterType.GetProperty("MimeType")!.GetValue(formatter) != mimeType) continue;
            Assert.Equal(type, formatterType.GetProperty("Type")!.GetValue(formatter));
            var format = formatterType.GetMethod("Format")!;
            return (value, writer) => (bool)format.Invoke(formatter, [value, writer])!;
        }
        throw new InvalidOperationException($"no formatter for {mimeType}");
    }

    [Fact]
    public void PlainText_IsToString()
    {
        var writer = new StringWriter();
        Assert.True(ConventionFormatter(typeof(Tensor), "text/plain")(Matrix, writer));
        Assert.Equal("tensor([[1., 2.],\n        [3., 4.]], shape=[2, 2], dtype=Float64, requiresGrad=true)", writer.ToString());
    }

    [Fact]
    public void Html_IsToStringEscapedInAPre()
    {
        var writer = new StringWriter();
        Assert.True(ConventionFormatter(typeof(Tensor), "text/html")(Tensor.FromArray([1, 0]), writer));
        Assert.Equal("<pre>tensor([1, 0], shape=[2], dtype=Int32)</pre>", writer.ToString());
        var html = new StringWriter();
        ConventionFormatter(typeof(Tensor), "text/html")(Matrix.Sum(), html);
        Assert.Equal("<pre>tensor(10., shape=[], dtype=Float64, gradFn=Sum)</pre>", html.ToString());
    }

    [Fact]
    public void AnotherObject_IsLeftToOtherFormatters() =>
        Assert.False(ConventionFormatter(typeof(Tensor), "text/plain")("not a tensor", new StringWriter()));

    [Fact]
    public void Attribute_PrefersHtml_AndNamesItsSourceByConvention()
    {
        var attribute = typeof(Tensor).GetCustomAttributes(true).Single(a => a.GetType().Name == "TypeFormatterSourceAttribute");
        Assert.Equal(["text/html", "text/plain"], (string[])attribute.GetType().GetProperty("PreferredMimeTypes")!.GetValue(attribute)!);
    }

    [Fact]
    public void EveryPublicProperty_CanBeRead_AsANotebookListsThem()
    {
        // The default formatter reads every public property; one that throws shows an exception instead of the tensor.
        foreach (var tensor in new[] { Tensor.Scalar(2.0), Tensor.FromArray([1.0, 2.0]), Matrix, Tensor.Zeros(2, 3, 4) })
            foreach (var property in typeof(Tensor).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
                property.GetValue(tensor);
    }

    [Fact]
    public void T_ReversesTheAxes_ForEveryRank()
    {
        var x = Tensor.Arange(24).Reshape(2, 3, 4);
        var t = x.T;
        Assert.Equal([4, 3, 2], t.ShapeArray);
        Assert.Equal(x.Permute(2, 1, 0).ToDoubleArray(), t.ToDoubleArray());
        Assert.Equal([1.0, 2.0], Tensor.FromArray([1.0, 2.0]).T.ToDoubleArray());
        Assert.Equal(5.0, Tensor.Scalar(5.0).T.Item());
    }
}
