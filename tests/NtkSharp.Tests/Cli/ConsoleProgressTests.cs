using NtkSharp.Cli;
using NtkSharp.Kernels;
using Xunit;

namespace NtkSharp.Tests.Cli;

public class ConsoleProgressTests
{
    [Fact]
    public void Report_AfterDelay_PrintsPercentThenFinishEndsLine()
    {
        var err = new StringWriter();
        var p = new ConsoleProgress(err, "kernel", enabled: true, delay: TimeSpan.Zero, interval: TimeSpan.Zero);
        p.Report(new KernelProgress(1, 4));
        p.Finish();
        p.Report(new KernelProgress(2, 4));
        string text = err.ToString();
        Assert.StartsWith("\rkernel: 25% (", text);
        Assert.Contains("\rkernel: 100% (", text);
        Assert.EndsWith(Environment.NewLine, text);
        Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Report_BeforeDelayOrDisabled_PrintsNothing()
    {
        var err = new StringWriter();
        var early = new ConsoleProgress(err, "kernel", enabled: true, delay: TimeSpan.FromHours(1));
        early.Report(new KernelProgress(1, 2));
        early.Finish();
        var off = new ConsoleProgress(err, "kernel", enabled: false, delay: TimeSpan.Zero);
        off.Report(new KernelProgress(1, 2));
        off.Finish();
        Assert.Equal("", err.ToString());
    }
}
