using System.Security.Cryptography;

namespace NtkSharp.Cli;

/// <summary>
/// All-or-nothing writing of a verb's output files into one folder. Each output is written to a temporary name in the
/// target folder (<see cref="TemporaryPath"/>, or <see cref="Write"/>); <see cref="Commit"/> renames them to their final
/// names only once every one has been written, replacing existing files as a set (the replaced files are restored if a
/// rename fails). Disposing without a successful commit (a failure, an exception, a cancellation) removes every
/// temporary, and the folders this set created when they are left empty, so a failed or cancelled run leaves nothing
/// behind. <see cref="AbortAll"/> does the same for every open set (the Ctrl+C path of <see cref="Program"/>).
/// </summary>
/// <remarks>
/// Opening checks the folder up front, before any long computation: it is created when missing, none of the final names
/// may be a folder, and a probe file must be writable there; these failures are I/O failures (exit 1) naming the option.
/// </remarks>
internal sealed class AtomicOutputs : IDisposable
{
    private static readonly Lock RegistryLock = new();
    private static readonly HashSet<AtomicOutputs> Open = [];

    private readonly Lock _lock = new();
    private readonly string _option;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<string, string> _temporaries = new(StringComparer.Ordinal);
    private readonly List<string> _createdFolders = [];
    private readonly string _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
    private bool _finished;
    private bool _committed;

    private AtomicOutputs(string folder, string option, CancellationToken cancellationToken)
    {
        Folder = folder;
        _option = option;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The output folder.</summary>
    public string Folder { get; }

    /// <summary>
    /// Opens the output set of folder <paramref name="folder"/> (the value of CLI option <paramref name="option"/>, e.g.
    /// "--out") for the files <paramref name="fileNames"/>: creates the folder when missing and checks that it is
    /// writable and that no final name is a folder. Throws <see cref="CliException"/> (exit 2 when the path is a file,
    /// exit 1 when it cannot be written).
    /// </summary>
    public static AtomicOutputs Create(string folder, string option, CancellationToken cancellationToken, params string[] fileNames)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new CliException($"{option}: the output folder name is empty");
        if (File.Exists(folder)) throw new CliException($"{option}: '{folder}' is a file, not a folder");
        var set = new AtomicOutputs(folder, option, cancellationToken);
        try
        {
            set.CreateFolder();
            foreach (string name in fileNames)
            {
                string target = Path.Combine(folder, name);
                if (Directory.Exists(target))
                    throw new CliException($"{option}: cannot write {name}: '{target}' is a folder", CliException.IoFailure);
            }
            set.Probe();
        }
        catch
        {
            set.Dispose();
            throw;
        }
        lock (RegistryLock) Open.Add(set);
        return set;
    }

    /// <summary>
    /// The temporary path (in <see cref="Folder"/>) to write output <paramref name="fileName"/> to; the same path on every
    /// call for one name. It is renamed to <c>Folder/fileName</c> by <see cref="Commit"/> and deleted on failure.
    /// </summary>
    public string TemporaryPath(string fileName)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            if (!_temporaries.TryGetValue(fileName, out var tmp))
            {
                tmp = Path.Combine(Folder, $".{fileName}.{_token}.tmp");
                _temporaries.Add(fileName, tmp);
            }
            return tmp;
        }
    }

    /// <summary>
    /// Writes output <paramref name="fileName"/> by calling <paramref name="write"/> on its temporary path; checks for
    /// cancellation before and after. Returns the final path (valid after <see cref="Commit"/>). Write failures become
    /// I/O failures (exit 1) naming the option and the file.
    /// </summary>
    public string Write(string fileName, Action<string> write)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        string tmp = TemporaryPath(fileName);
        try
        {
            write(tmp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{_option}: cannot write {Path.Combine(Folder, fileName)}: {CliErrors.IoReason(e)}", CliException.IoFailure);
        }
        lock (_lock)
        {
            if (_finished)
            {
                TryDelete(tmp); // aborted while writing
                throw new OperationCanceledException(_cancellationToken);
            }
        }
        _cancellationToken.ThrowIfCancellationRequested();
        return Path.Combine(Folder, fileName);
    }

    /// <summary>
    /// Renames every written temporary to its final name, all or none: if one rename fails, the ones done are undone
    /// and the files they replaced restored. Checks for cancellation first. Returns the final paths in writing order.
    /// </summary>
    public IReadOnlyList<string> Commit()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_finished, this);
            _cancellationToken.ThrowIfCancellationRequested();
            var done = new List<(string Target, string? Backup)>();
            try
            {
                foreach (var (name, tmp) in _temporaries)
                {
                    if (!File.Exists(tmp)) throw new InvalidOperationException($"output {name} was registered but not written");
                    string target = Path.Combine(Folder, name);
                    string? backup = null;
                    if (File.Exists(target))
                    {
                        backup = Path.Combine(Folder, $".{name}.{_token}.old");
                        File.Move(target, backup, overwrite: true);
                    }
                    done.Add((target, backup));
                    File.Move(tmp, target, overwrite: false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Undo(done);
                Cleanup();
                throw new CliException($"{_option}: cannot write the outputs to '{Folder}': {CliErrors.IoReason(e)}", CliException.IoFailure);
            }
            foreach (var (_, backup) in done)
            {
                if (backup is not null) TryDelete(backup);
            }
            _finished = true;
            _committed = true;
            lock (RegistryLock) Open.Remove(this);
            return _temporaries.Keys.Select(n => Path.Combine(Folder, n)).ToList();
        }
    }

    /// <summary>Removes the temporaries (and the folders this set created, if empty) unless committed.</summary>
    public void Dispose()
    {
        Abort();
        lock (RegistryLock) Open.Remove(this);
    }

    /// <summary>
    /// Aborts every open set of this process: removes its temporaries and the folders it created (the Ctrl+C path,
    /// while the verb may still be running on another thread). Safe to call more than once.
    /// </summary>
    public static void AbortAll()
    {
        AtomicOutputs[] sets;
        lock (RegistryLock) sets = [.. Open];
        foreach (var s in sets) s.Abort();
    }

    private void Abort()
    {
        lock (_lock)
        {
            if (!_committed) Cleanup();
        }
    }

    private void Cleanup()
    {
        _finished = true;
        foreach (var tmp in _temporaries.Values) TryDelete(tmp);
        for (int i = _createdFolders.Count - 1; i >= 0; i--)
        {
            try
            {
                if (Directory.Exists(_createdFolders[i]) && !Directory.EnumerateFileSystemEntries(_createdFolders[i]).Any())
                    Directory.Delete(_createdFolders[i]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static void Undo(List<(string Target, string? Backup)> done)
    {
        foreach (var (target, backup) in done)
        {
            try
            {
                if (backup is not null) File.Move(backup, target, overwrite: true);
                else if (File.Exists(target)) File.Delete(target);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private void CreateFolder()
    {
        string full = Path.GetFullPath(Folder);
        var missing = new List<string>();
        for (string? d = full; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
        {
            if (File.Exists(d)) throw new CliException($"{_option}: cannot create '{Folder}': '{d}' is a file", CliException.IoFailure);
            missing.Add(d);
        }
        missing.Reverse();
        try
        {
            foreach (var d in missing)
            {
                Directory.CreateDirectory(d);
                _createdFolders.Add(d);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{_option}: cannot create the folder '{Folder}': {CliErrors.IoReason(e)}", CliException.IoFailure);
        }
    }

    private void Probe()
    {
        string probe = Path.Combine(Folder, $".ntksharp-probe.{_token}.tmp");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{_option}: cannot write to the folder '{Folder}': {CliErrors.IoReason(e)}", CliException.IoFailure);
        }
        finally
        {
            TryDelete(probe);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
