namespace Nabla.NN;

/// <summary>
/// The arrays a <see cref="RecurrentLayer"/> runs in (saved gates and states, backward scratch),
/// reused from one training step to the next: a step of Embedding → LSTM(128) on batches of 64
/// sequences of 50 tokens needs about 15 MB of them, which fresh every step cost a full garbage
/// collection and the kernel's zeroing of new pages each time.
/// </summary>
/// <remarks>
/// A run recorded for the backward pass keeps its arrays until that pass has used them; they come
/// back to the workspace at the layer's next forward pass if the backward pass has run by then (a
/// second backward pass through the recycled run, with <c>retainGraph</c> after the layer ran again,
/// is refused by <see cref="Run.CheckAvailable"/>). A run that was not recorded gives its arrays
/// back at once. Locked, so one layer can serve several threads.
/// </remarks>
internal sealed class RecurrentWorkspace
{
    private readonly List<Array> _free = [];
    private readonly List<Run> _pending = [];

    /// <summary>
    /// Starts a forward pass of the layer: the arrays of runs whose backward pass has run become free;
    /// runs still waiting for theirs are forgotten (their graphs keep their arrays, and the garbage
    /// collector takes them with the graph), so a layer run often without a backward pass holds nothing.
    /// </summary>
    public void BeginForward()
    {
        lock (_free)
        {
            foreach (var run in _pending)
                if (run.BackwardDone) _free.AddRange(run.Take());
            _pending.Clear();
        }
    }

    /// <summary>An array of at least <paramref name="length"/> elements, whose values are undefined.</summary>
    public T[] Rent<T>(int length)
    {
        lock (_free)
        {
            int best = -1;
            for (int i = 0; i < _free.Count; i++)
                if (_free[i] is T[] candidate && candidate.Length >= length && (best < 0 || candidate.Length < _free[best].Length)) best = i;
            if (best < 0) return GC.AllocateUninitializedArray<T>(length);
            var array = (T[])_free[best];
            _free.RemoveAt(best);
            return array;
        }
    }

    /// <summary>Gives arrays back for the next run.</summary>
    public void Return(params ReadOnlySpan<Array?> arrays)
    {
        lock (_free)
        {
            foreach (var array in arrays)
                if (array is not null) _free.Add(array);
        }
    }

    /// <summary>Keeps a recorded run's arrays until its backward pass has run.</summary>
    public void Hold(Run run)
    {
        lock (_free) _pending.Add(run);
    }

    /// <summary>The arrays of one recorded run of a layer, and whether its backward pass has used them.</summary>
    public sealed class Run(Array[] arrays, string op)
    {
        private Array[]? _arrays = arrays;

        /// <summary>Whether a backward pass through the run has finished, so its arrays may be reused.</summary>
        public bool BackwardDone { get; set; }

        /// <summary>Hands the arrays over for reuse; the run cannot be gone through again.</summary>
        public Array[] Take()
        {
            var arrays = _arrays!;
            _arrays = null;
            return arrays;
        }

        /// <summary>Throws when the arrays were reused: a second backward pass after the layer ran again.</summary>
        public void CheckAvailable()
        {
            if (_arrays is null)
                throw new InvalidOperationException($"{op}: a second backward pass through this run of the layer, after the layer ran again, is not supported: its saved activations were reused. Run the backward passes of one run before the layer's next forward pass.");
        }
    }
}
