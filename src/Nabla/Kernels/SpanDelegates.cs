namespace Nabla.Kernels;

/// <summary>y = f(x) over a span (most are <c>TensorPrimitives</c> methods).</summary>
internal delegate void SpanMap<T>(ReadOnlySpan<T> x, Span<T> y);

/// <summary>y = f(x, s) over a span with one scalar parameter.</summary>
internal delegate void SpanMapScalar<T>(ReadOnlySpan<T> x, T s, Span<T> y);

/// <summary>y = f(a, b) over two spans of the same length.</summary>
internal delegate void SpanZip<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> y);
