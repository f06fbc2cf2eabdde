using System.Diagnostics;
using System.Text;

namespace Nabla.Cli.Tests;

/// <summary>
/// A named pipe (a FIFO) that yields a header, then the same text over and over for as long as anyone reads
/// it, as <c>yes 1,2,3 &gt; pipe</c> does: an input that never ends. The writer stops when the reader closes
/// the pipe, or when the pipe is disposed.
/// </summary>
internal sealed class EndlessPipe : IDisposable
{
    private readonly Task _writer;

    /// <summary>Makes the pipe at <paramref name="path"/> and starts writing into it (the writer waits for a reader).</summary>
    public EndlessPipe(string path, string header, string repeated)
    {
        Path = path;
        using (var mkfifo = Process.Start("mkfifo", [path])) mkfifo.WaitForExit();
        byte[] head = Encoding.UTF8.GetBytes(header);
        byte[] chunk = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(repeated, Math.Max(1, 65536 / repeated.Length))));
        _writer = Task.Factory.StartNew(() =>
        {
            try
            {
                using var pipe = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
                pipe.Write(head);
                while (true) pipe.Write(chunk);
            }
            catch (IOException)
            {
                // The reader closed the pipe: the end of an endless input.
            }
        }, TaskCreationOptions.LongRunning);
    }

    /// <summary>The pipe's path.</summary>
    public string Path { get; }

    /// <summary>Stops the writer: a reader that never came (the command failed first) is stood in for, then closed.</summary>
    public void Dispose()
    {
        // A writer whose reader has gone ends at its next write; one still waiting for a reader needs one to open.
        if (_writer.Wait(TimeSpan.FromSeconds(2))) return;
        using (new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0)) { }
        _writer.Wait(TimeSpan.FromSeconds(30));
    }
}
