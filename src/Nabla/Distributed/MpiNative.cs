using System.Runtime.InteropServices;

namespace Nabla.Distributed;

/// <summary>
/// The dozen functions of Open MPI's C API that <see cref="MpiCommunicator"/> calls, and the
/// predefined handles it passes them. Open MPI's handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>,
/// <c>MPI_SUM</c>, ...) are the addresses of data symbols that libmpi exports, so they are looked up
/// once the library is loaded, never written as numbers.
/// </summary>
internal static unsafe partial class MpiNative
{
    /// <summary>The soname of Open MPI 3 and 4's library (Debian's libopenmpi3).</summary>
    public const string Library = "libmpi.so.40";

    /// <summary>Open MPI's <c>MPI_IN_PLACE</c>: the send buffer is the receive buffer.</summary>
    public const nint InPlace = 1;

    /// <summary>MPI_THREAD_SERIALIZED: any thread may call MPI, one at a time (the communicator locks).</summary>
    public const int ThreadSerialized = 2;

    /// <summary>MPI_SUCCESS.</summary>
    public const int Success = 0;

    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    private static readonly Lazy<Handles> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The predefined handles, loading libmpi (with its symbols visible to its plugins) on first use.</summary>
    /// <exception cref="DllNotFoundException">libmpi.so.40 is not installed.</exception>
    public static Handles Predefined => Loaded.Value;

    /// <summary>The addresses of Open MPI's predefined objects that the communicator passes.</summary>
    public sealed record Handles(nint CommWorld, nint Float, nint Double, nint Int64, nint Byte, nint Sum, nint Max, nint Min)
    {
        /// <summary>The MPI_Op handle of <paramref name="operation"/>.</summary>
        public nint Op(ReduceOperation operation) => operation switch
        {
            ReduceOperation.Sum => Sum,
            ReduceOperation.Max => Max,
            ReduceOperation.Min => Min,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, $"MpiCommunicator: no MPI operation for {operation}."),
        };
    }

    private static Handles Load()
    {
        // Open MPI opens its transports and collectives as plugins (mca_btl_vader.so, ...) that
        // resolve symbols of libmpi itself; loaded with local visibility, as .NET loads a
        // library, the plugins fail to load. Opening it first with RTLD_GLOBAL makes the later
        // loads by the runtime return this same, globally visible, handle.
        if (DlOpen(Library, RtldNow | RtldGlobal) == 0)
        {
            string detail = Marshal.PtrToStringUTF8(DlError()) ?? "no detail";
            throw new DllNotFoundException(
                $"Open MPI's {Library} was not found ({detail}): install openmpi-bin (Debian and Ubuntu: apt-get install openmpi-bin) to run on several processes, or run without mpirun on one.");
        }
        nint library = NativeLibrary.Load(Library);
        nint Symbol(string name) => NativeLibrary.TryGetExport(library, name, out nint address)
            ? address
            : throw new EntryPointNotFoundException($"{Library} does not export {name}: MpiCommunicator needs Open MPI 3 or 4 (another MPI, such as MPICH, names its handles differently).");
        return new Handles(
            CommWorld: Symbol("ompi_mpi_comm_world"),
            Float: Symbol("ompi_mpi_float"),
            Double: Symbol("ompi_mpi_double"),
            Int64: Symbol("ompi_mpi_int64_t"),
            Byte: Symbol("ompi_mpi_byte"),
            Sum: Symbol("ompi_mpi_op_sum"),
            Max: Symbol("ompi_mpi_op_max"),
            Min: Symbol("ompi_mpi_op_min"));
    }

    // libdl.so.2 exists on every glibc system: since glibc 2.34 it forwards to libc, before it held dlopen itself.
    [LibraryImport("libdl.so.2", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint DlOpen(string file, int mode);

    [LibraryImport("libdl.so.2", EntryPoint = "dlerror")]
    private static partial nint DlError();

    [LibraryImport(Library)]
    public static partial int MPI_Initialized(int* flag);

    [LibraryImport(Library)]
    public static partial int MPI_Finalized(int* flag);

    [LibraryImport(Library)]
    public static partial int MPI_Init_thread(int* argc, byte*** argv, int required, int* provided);

    [LibraryImport(Library)]
    public static partial int MPI_Finalize();

    [LibraryImport(Library)]
    public static partial int MPI_Comm_rank(nint comm, int* rank);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_size(nint comm, int* size);

    [LibraryImport(Library)]
    public static partial int MPI_Allreduce(void* sendBuffer, void* receiveBuffer, int count, nint datatype, nint op, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Bcast(void* buffer, int count, nint datatype, int root, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Allgather(void* sendBuffer, int sendCount, nint sendType, void* receiveBuffer, int receiveCount, nint receiveType, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Allgatherv(void* sendBuffer, int sendCount, nint sendType, void* receiveBuffer, int* receiveCounts, int* displacements, nint receiveType, nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Barrier(nint comm);

    [LibraryImport(Library)]
    public static partial int MPI_Abort(nint comm, int errorCode);
}
