using System.Diagnostics;
using NtkSharp.Kernels;

namespace NtkSharp.Cli;

/// <summary>
/// Reports progress on stderr as "\r{label}: 42%", only once a run has taken more than a second and at most every
/// quarter second, then ends the line. Synchronous (unlike <see cref="Progress{T}"/>), so nothing prints after
/// <see cref="Finish"/>.
/// </summary>
internal sealed class ConsoleProgress(TextWriter stderr, string label, bool enabled, TimeSpan? delay = null, TimeSpan? interval = null)
    : IProgress<KernelProgress>
{
    private readonly TimeSpan _delay = delay ?? TimeSpan.FromSeconds(1);
    private readonly TimeSpan _interval = interval ?? TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private TimeSpan _last;
    private bool _printed;
    private bool _finished;

    public void Report(KernelProgress value)
    {
        if (!enabled) return;
        var now = _clock.Elapsed;
        if (now < _delay || (_printed && now - _last < _interval)) return;
        lock (_lock)
        {
            if (_finished || (_printed && now - _last < _interval)) return;
            _last = now;
            _printed = true;
            stderr.Write($"\r{label}: {value.Fraction * 100:F0}% ({now.TotalSeconds:F1} s)");
            stderr.Flush();
        }
    }

    /// <summary>Ends the progress line, if one was printed.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_finished) return;
            _finished = true;
            if (_printed) stderr.WriteLine($"\r{label}: 100% ({_clock.Elapsed.TotalSeconds:F1} s)");
        }
    }
}
