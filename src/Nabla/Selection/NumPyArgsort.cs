namespace Nabla.Selection;

/// <summary>
/// NumPy's default <c>np.argsort</c> (kind "quicksort", NumPy 1.24) for integers: an introsort that
/// is not stable, so equal values come out in the order its partitioning leaves them.
/// </summary>
/// <remarks>
/// scikit-learn's <c>GroupKFold</c> orders groups by size with it, so which of two groups of the same
/// size goes first, and so which fold each gets, is this sort's tie order; a stable sort would give
/// other folds. Median-of-three quicksort, insertion sort on partitions of at most 16 elements, and
/// heapsort past a depth of twice the bit length, as NumPy's <c>aquicksort_</c> and <c>aheapsort_</c>.
/// </remarks>
internal static class NumPyArgsort
{
    /// <summary>Partitions with at most this many elements beyond the first are finished by insertion sort.</summary>
    private const int SmallPartition = 15;

    /// <summary>The indices that sort <paramref name="values"/> ascending, ties ordered as NumPy orders them.</summary>
    public static int[] Argsort(ReadOnlySpan<int> values)
    {
        var v = values.ToArray();
        var order = Enumerable.Range(0, v.Length).ToArray();
        if (v.Length < 2) return order;
        var stack = new Stack<(int Left, int Right, int Depth)>();
        int left = 0, right = v.Length - 1, depth = 2 * BitLengthMinusOne(v.Length);
        while (true)
        {
            if (depth < 0)
            {
                HeapSort(v, order, left, right - left + 1);
            }
            else
            {
                while (right - left > SmallPartition)
                {
                    int pivot = Partition(v, order, left, right);
                    depth--;
                    // The larger part waits on the stack; the loop goes on with the smaller.
                    if (pivot - left < right - pivot)
                    {
                        stack.Push((pivot + 1, right, depth));
                        right = pivot - 1;
                    }
                    else
                    {
                        stack.Push((left, pivot - 1, depth));
                        left = pivot + 1;
                    }
                }
                InsertionSort(v, order, left, right);
            }
            if (stack.Count == 0) return order;
            (left, right, depth) = stack.Pop();
        }
    }

    private static int Partition(int[] v, int[] order, int left, int right)
    {
        int middle = left + ((right - left) >> 1);
        if (v[order[middle]] < v[order[left]]) Swap(order, middle, left);
        if (v[order[right]] < v[order[middle]]) Swap(order, right, middle);
        if (v[order[middle]] < v[order[left]]) Swap(order, middle, left);
        int pivotValue = v[order[middle]];
        int i = left, j = right - 1;
        Swap(order, middle, j);
        while (true)
        {
            do i++; while (v[order[i]] < pivotValue);
            do j--; while (pivotValue < v[order[j]]);
            if (i >= j) break;
            Swap(order, i, j);
        }
        Swap(order, i, right - 1);
        return i;
    }

    private static void InsertionSort(int[] v, int[] order, int left, int right)
    {
        for (int i = left + 1; i <= right; i++)
        {
            int moving = order[i], j = i;
            while (j > left && v[moving] < v[order[j - 1]])
            {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = moving;
        }
    }

    /// <summary>Heapsort of <paramref name="count"/> indices from <paramref name="start"/>, with NumPy's one-based sift-down.</summary>
    private static void HeapSort(int[] v, int[] order, int start, int count)
    {
        for (int l = count >> 1; l > 0; l--) SiftDown(v, order, start, l, count, order[start + l - 1]);
        for (int n = count; n > 1;)
        {
            int last = order[start + n - 1];
            order[start + n - 1] = order[start];
            n--;
            SiftDown(v, order, start, 1, n, last);
        }
    }

    private static void SiftDown(int[] v, int[] order, int start, int i, int n, int moving)
    {
        for (int j = i << 1; j <= n; j += j)
        {
            if (j < n && v[order[start + j - 1]] < v[order[start + j]]) j++;
            if (!(v[moving] < v[order[start + j - 1]])) break;
            order[start + i - 1] = order[start + j - 1];
            i = j;
        }
        order[start + i - 1] = moving;
    }

    private static int BitLengthMinusOne(int n) => 31 - int.LeadingZeroCount(n);

    private static void Swap(int[] order, int a, int b) => (order[a], order[b]) = (order[b], order[a]);
}
