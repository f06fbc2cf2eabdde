using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Packs blocks of op(A) and op(B) into the micro-panel layout the GEMM micro-kernels stream
/// through: for a panel of width w (MR rows of A, or NR columns of B) and a k-block of length kc,
/// element (p, r) goes to <c>dst[p·w + r]</c>, so each k step reads w consecutive values.
/// </summary>
/// <remarks>
/// <para>
/// The transpose flags are handled here and nowhere else: the kernels never see them and no
/// transposed copy of an operand is ever made. Depending on how the operand is stored, a panel is
/// either a strided copy of contiguous runs (<see cref="Copy{T}"/>: A when transposed, B when not)
/// or a transpose of a w×kc strip (<see cref="Transpose{T}"/>: A when not transposed, B when
/// transposed). The transpose runs in register blocks: 16×16 with AVX-512, 8×8 and 4×8 with AVX
/// for Float32, 4×4 with AVX for Float64; rows left over, and machines without AVX, go one
/// element at a time. Packing B̃ of a 784-wide transposed weight this way costs about as much as
/// copying it: both are limited by reading the source from L2/L3.
/// </para>
/// <para>
/// A panel narrower than w (the bottom rows of A, the right columns of B) is padded with zeros,
/// so the kernels always run on whole panels; the padded rows or columns of the tile are never
/// written to C.
/// </para>
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs rows [row0, row0 + rows) × k range [p0, p0 + kc) of op(A) into <paramref name="dst"/>
    /// as dst[p·mr + r]. A is m×k row-major (<paramref name="lda"/> = k), or k×m when transposed
    /// (<paramref name="lda"/> = m).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(bool transA, T* a, int lda, int row0, int rows, int p0, int kc, T* dst, int mr)
        where T : unmanaged, INumberBase<T>
    {
        if (transA)
            Copy(a + (nint)p0 * lda + row0, lda, rows, kc, dst, mr);
        else
            Transpose(a + (nint)row0 * lda + p0, lda, rows, kc, dst, mr);
    }

    /// <summary>
    /// Packs k range [p0, p0 + kc) × columns [col0, col0 + cols) of op(B) into
    /// <paramref name="dst"/> as dst[p·nr + j]. B is k×n row-major (<paramref name="ldb"/> = n),
    /// or n×k when transposed (<paramref name="ldb"/> = k).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T>(bool transB, T* b, int ldb, int col0, int cols, int p0, int kc, T* dst, int nr)
        where T : unmanaged, INumberBase<T>
    {
        if (transB)
            Transpose(b + (nint)col0 * ldb + p0, ldb, cols, kc, dst, nr);
        else
            Copy(b + (nint)p0 * ldb + col0, ldb, cols, kc, dst, nr);
    }

    /// <summary>dst[p·w + r] = src[p·lds + r] for r &lt; count, zero for count ≤ r &lt; w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Copy<T>(T* src, nint lds, int count, int kc, T* dst, int w)
        where T : unmanaged, INumberBase<T>
    {
        if (count == w)
        {
            // A whole panel row is a few full vectors: 128 or 64 bytes of B̃, 48 or 24 of Ã.
            nint bytes = (nint)w * sizeof(T);
            if (Vector256.IsHardwareAccelerated && bytes % 32 == 0)
            {
                for (int p = 0; p < kc; p++, src += lds, dst += w)
                    for (nint off = 0; off < bytes; off += 32)
                        Vector256.Store(Vector256.Load((byte*)src + off), (byte*)dst + off);
                return;
            }
            if (Vector128.IsHardwareAccelerated && bytes % 8 == 0)
            {
                // 16-byte vectors, then the 8 bytes of a 24-byte row (the Float32 Ã of the AVX2
                // kernel, packed from dPᵀ in a recurrent layer's weight gradients).
                nint whole = bytes & ~15;
                for (int p = 0; p < kc; p++, src += lds, dst += w)
                {
                    for (nint off = 0; off < whole; off += 16)
                        Vector128.Store(Vector128.Load((byte*)src + off), (byte*)dst + off);
                    if (whole < bytes)
                        *(ulong*)((byte*)dst + whole) = *(ulong*)((byte*)src + whole);
                }
                return;
            }
        }
        bool vector = Vector256.IsHardwareAccelerated && w * sizeof(T) % 32 == 0;
        nint wholeBytes = (nint)count * sizeof(T) & ~31;
        for (int p = 0; p < kc; p++, src += lds, dst += w)
        {
            int r = 0;
            if (vector)
            {
                // Clear the whole panel row, copy the whole vectors, then the scalar rest.
                for (int z = 0; z < w * sizeof(T); z += 32)
                    Vector256<byte>.Zero.Store((byte*)dst + z);
                for (nint off = 0; off < wholeBytes; off += 32)
                    Vector256.Store(Vector256.Load((byte*)src + off), (byte*)dst + off);
                r = (int)(wholeBytes / sizeof(T));
            }
            else
            {
                for (int z = count; z < w; z++) dst[z] = T.Zero;
            }
            for (; r < count; r++) dst[r] = src[r];
        }
    }

    /// <summary>dst[p·w + r] = src[r·lds + p] for r &lt; count, zero for count ≤ r &lt; w.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Transpose<T>(T* src, nint lds, int count, int kc, T* dst, int w)
        where T : unmanaged, INumberBase<T>
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                if (Avx512F.IsSupported)
                    for (; r + 16 <= count; r += 16)
                        TransposeStrip16((float*)(src + r * lds), lds, kc, (float*)(dst + r), w);
                for (; r + 8 <= count; r += 8)
                    TransposeStrip8((float*)(src + r * lds), lds, kc, (float*)(dst + r), w);
                if (r + 4 <= count)
                {
                    TransposeStrip4((float*)(src + r * lds), lds, kc, (float*)(dst + r), w);
                    r += 4;
                }
                if (r + 2 <= count)
                {
                    TransposeStrip2((float*)(src + r * lds), lds, kc, (float*)(dst + r), w);
                    r += 2;
                }
            }
            else if (typeof(T) == typeof(double))
            {
                for (; r + 4 <= count; r += 4)
                    TransposeStrip4((double*)(src + r * lds), lds, kc, (double*)(dst + r), w);
                if (r + 2 <= count)
                {
                    TransposeStrip2((double*)(src + r * lds), lds, kc, (double*)(dst + r), w);
                    r += 2;
                }
            }
        }
        // Rows the register blocks did not cover, one at a time: read along k, write with stride w.
        for (; r < count; r++)
        {
            T* s = src + r * lds;
            for (int p = 0; p < kc; p++) dst[(nint)p * w + r] = s[p];
        }
        if (count < w)
        {
            for (int p = 0; p < kc; p++)
            {
                T* d = dst + (nint)p * w;
                for (int z = count; z < w; z++) d[z] = T.Zero;
            }
        }
    }

    /// <summary>
    /// Float32, 16 source rows with AVX-512: each 16×16 block is transposed in registers with
    /// 64 shuffles (half as many per element as the 8×8 AVX blocks). The k tail goes to
    /// <see cref="TransposeStrip8"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeStrip16(float* src, nint lds, int kc, float* dst, int w)
    {
        int p = 0;
        for (; p + 16 <= kc; p += 16)
        {
            float* s = src + p;
            // Rows 0..15 of the block; row i holds k = p..p+15 of source row i.
            Vector512<float> r0 = Vector512.Load(s), r1 = Vector512.Load(s + lds),
                r2 = Vector512.Load(s + 2 * lds), r3 = Vector512.Load(s + 3 * lds),
                r4 = Vector512.Load(s + 4 * lds), r5 = Vector512.Load(s + 5 * lds),
                r6 = Vector512.Load(s + 6 * lds), r7 = Vector512.Load(s + 7 * lds),
                r8 = Vector512.Load(s + 8 * lds), r9 = Vector512.Load(s + 9 * lds),
                r10 = Vector512.Load(s + 10 * lds), r11 = Vector512.Load(s + 11 * lds),
                r12 = Vector512.Load(s + 12 * lds), r13 = Vector512.Load(s + 13 * lds),
                r14 = Vector512.Load(s + 14 * lds), r15 = Vector512.Load(s + 15 * lds);
            // Within each 128-bit lane L (k = 4L..4L+3), as in the 8×8 case: after the unpacks
            // and shuffles, u[4g + c] lane L holds rows 4g..4g+3 at k = 4L + c.
            Vector512<float> t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1);
            Vector512<float> t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
            Vector512<float> t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5);
            Vector512<float> t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
            Vector512<float> t8 = Avx512F.UnpackLow(r8, r9), t9 = Avx512F.UnpackHigh(r8, r9);
            Vector512<float> t10 = Avx512F.UnpackLow(r10, r11), t11 = Avx512F.UnpackHigh(r10, r11);
            Vector512<float> t12 = Avx512F.UnpackLow(r12, r13), t13 = Avx512F.UnpackHigh(r12, r13);
            Vector512<float> t14 = Avx512F.UnpackLow(r14, r15), t15 = Avx512F.UnpackHigh(r14, r15);
            float* d = dst + (nint)p * w;
            Store16(d, w, 0, Avx512F.Shuffle(t0, t2, 0x44), Avx512F.Shuffle(t4, t6, 0x44), Avx512F.Shuffle(t8, t10, 0x44), Avx512F.Shuffle(t12, t14, 0x44));
            Store16(d, w, 1, Avx512F.Shuffle(t0, t2, 0xEE), Avx512F.Shuffle(t4, t6, 0xEE), Avx512F.Shuffle(t8, t10, 0xEE), Avx512F.Shuffle(t12, t14, 0xEE));
            Store16(d, w, 2, Avx512F.Shuffle(t1, t3, 0x44), Avx512F.Shuffle(t5, t7, 0x44), Avx512F.Shuffle(t9, t11, 0x44), Avx512F.Shuffle(t13, t15, 0x44));
            Store16(d, w, 3, Avx512F.Shuffle(t1, t3, 0xEE), Avx512F.Shuffle(t5, t7, 0xEE), Avx512F.Shuffle(t9, t11, 0xEE), Avx512F.Shuffle(t13, t15, 0xEE));
        }
        if (p < kc)
        {
            TransposeStrip8(src + p, lds, kc - p, dst + (nint)p * w, w);
            TransposeStrip8(src + 8 * lds + p, lds, kc - p, dst + (nint)p * w + 8, w);
        }
    }

    /// <summary>
    /// The last two steps of the 16×16 transpose for one c: u0..u3 hold rows 0-3, 4-7, 8-11,
    /// 12-15 of k = 4L + c in lane L; gathering lane L of each gives output row k = 4L + c.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store16(float* d, int w, int c, Vector512<float> u0, Vector512<float> u1, Vector512<float> u2, Vector512<float> u3)
    {
        // 0x88 picks lanes 0, 2 of each source, 0xDD lanes 1, 3.
        Vector512<float> v0 = Avx512F.Shuffle4x128(u0, u1, 0x88), v1 = Avx512F.Shuffle4x128(u0, u1, 0xDD);
        Vector512<float> x0 = Avx512F.Shuffle4x128(u2, u3, 0x88), x1 = Avx512F.Shuffle4x128(u2, u3, 0xDD);
        Avx512F.Shuffle4x128(v0, x0, 0x88).Store(d + (nint)c * w);        // k = c
        Avx512F.Shuffle4x128(v1, x1, 0x88).Store(d + (nint)(4 + c) * w);  // k = 4 + c
        Avx512F.Shuffle4x128(v0, x0, 0xDD).Store(d + (nint)(8 + c) * w);  // k = 8 + c
        Avx512F.Shuffle4x128(v1, x1, 0xDD).Store(d + (nint)(12 + c) * w); // k = 12 + c
    }

    /// <summary>
    /// Float32, 8 source rows: each 8×8 block (8 rows × 8 consecutive k) is transposed in
    /// registers, so each output row holds one k value for the 8 rows. The k tail is scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeStrip8(float* src, nint lds, int kc, float* dst, int w)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* s = src + p;
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds),
                r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds),
                r4 = Avx.LoadVector256(s + 4 * lds), r5 = Avx.LoadVector256(s + 5 * lds),
                r6 = Avx.LoadVector256(s + 6 * lds), r7 = Avx.LoadVector256(s + 7 * lds);
            // t0 = [a00 a10 a01 a11 | a04 a14 a05 a15], t1 = [a02 a12 a03 a13 | a06 a16 a07 a17], ...
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
            // u0 = [a00 a10 a20 a30 | a04 a14 a24 a34]: k = 0 | k = 4 for rows 0..3, and so on.
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
            Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
            // Join the 128-bit halves of rows 0..3 and 4..7.
            float* d = dst + (nint)p * w;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + w, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * w, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * w, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * w, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * w, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * w, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * w, Avx.Permute2x128(u3, u7, 0x31));
        }
        for (; p < kc; p++)
        {
            float* d = dst + (nint)p * w;
            for (int r = 0; r < 8; r++) d[r] = src[r * lds + p];
        }
    }

    /// <summary>Float32, 4 source rows × 8 k at a time: the 4-wide halves go out as 128-bit stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeStrip4(float* src, nint lds, int kc, float* dst, int w)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* s = src + p;
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds),
                r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            // u0 = [k0 for rows 0..3 | k4 for rows 0..3], u1 = k1 | k5, u2 = k2 | k6, u3 = k3 | k7.
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
            Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            float* d = dst + (nint)p * w;
            u0.GetLower().Store(d); u1.GetLower().Store(d + w);
            u2.GetLower().Store(d + 2 * w); u3.GetLower().Store(d + 3 * w);
            u0.GetUpper().Store(d + 4 * w); u1.GetUpper().Store(d + 5 * w);
            u2.GetUpper().Store(d + 6 * w); u3.GetUpper().Store(d + 7 * w);
        }
        for (; p < kc; p++)
        {
            float* d = dst + (nint)p * w;
            for (int r = 0; r < 4; r++) d[r] = src[r * lds + p];
        }
    }

    /// <summary>Float64, 4 source rows × 4 k at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeStrip4(double* src, nint lds, int kc, double* dst, int w)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            double* s = src + p;
            Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds),
                r2 = Avx.LoadVector256(s + 2 * lds), r3 = Avx.LoadVector256(s + 3 * lds);
            // t0 = [a00 a10 | a02 a12], t1 = [a01 a11 | a03 a13], t2/t3 the same for rows 2, 3.
            Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            double* d = dst + (nint)p * w;
            Avx.Store(d, Avx.Permute2x128(t0, t2, 0x20));
            Avx.Store(d + w, Avx.Permute2x128(t1, t3, 0x20));
            Avx.Store(d + 2 * w, Avx.Permute2x128(t0, t2, 0x31));
            Avx.Store(d + 3 * w, Avx.Permute2x128(t1, t3, 0x31));
        }
        for (; p < kc; p++)
        {
            double* d = dst + (nint)p * w;
            for (int r = 0; r < 4; r++) d[r] = src[r * lds + p];
        }
    }

    /// <summary>
    /// Float32, 2 source rows with AVX: the last two rows of a 6-row Ã panel (AVX2 kernel), 8 k at a
    /// time, so those rows are not read and written one element at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeStrip2(float* src, nint lds, int kc, float* dst, int w)
    {
        int p = 0;
        for (; p + 8 <= kc; p += 8)
        {
            float* s = src + p;
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
            // t0 = [k0 k1 | k4 k5] as (row 0, row 1) pairs, t1 = [k2 k3 | k6 k7].
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            float* d = dst + (nint)p * w;
            Sse.StoreLow(d, t0.GetLower()); Sse.StoreHigh(d + w, t0.GetLower());
            Sse.StoreLow(d + 2 * w, t1.GetLower()); Sse.StoreHigh(d + 3 * w, t1.GetLower());
            Sse.StoreLow(d + 4 * w, t0.GetUpper()); Sse.StoreHigh(d + 5 * w, t0.GetUpper());
            Sse.StoreLow(d + 6 * w, t1.GetUpper()); Sse.StoreHigh(d + 7 * w, t1.GetUpper());
        }
        TransposeTail(src, lds, 2, p, kc, dst, w);
    }

    /// <summary>Float64, 2 source rows with AVX: the last two rows of a 6-row Ã panel (AVX2 kernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TransposeStrip2(double* src, nint lds, int kc, double* dst, int w)
    {
        int p = 0;
        for (; p + 4 <= kc; p += 4)
        {
            double* s = src + p;
            Vector256<double> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + lds);
            // t0 = [k0 | k2] as (row 0, row 1) pairs, t1 = [k1 | k3].
            Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
            double* d = dst + (nint)p * w;
            t0.GetLower().Store(d); t1.GetLower().Store(d + w);
            t0.GetUpper().Store(d + 2 * w); t1.GetUpper().Store(d + 3 * w);
        }
        TransposeTail(src, lds, 2, p, kc, dst, w);
    }

    /// <summary>The k steps [p0, kc) of a strip of <paramref name="rows"/> rows that its register blocks left over, one element at a time.</summary>
    private static void TransposeTail<T>(T* src, nint lds, int rows, int p0, int kc, T* dst, int w)
        where T : unmanaged
    {
        for (int p = p0; p < kc; p++)
        {
            T* d = dst + (nint)p * w;
            for (int r = 0; r < rows; r++) d[r] = src[r * lds + p];
        }
    }
}
