using System.Runtime.CompilerServices;

namespace Xoscar.Orleans.Tests.Actors;

public interface ITransferer : IActor
{
    /// <summary>Zeroed buffers of <paramref name="sizes"/> bytes, held by the actor and registered as copy targets.</summary>
    Task<BufferRef[]> CreateBuffers(int[] sizes);

    /// <summary>A registered buffer the actor does not hold.</summary>
    Task<BufferRef> CreateUnheldBuffer(int size);

    /// <summary>The contents of buffers registered in this actor's pool.</summary>
    Task<byte[][]> ReadBuffers(BufferRef[] buffers);

    /// <summary>Copies <see cref="Patterns.Of"/> of each target's length into the targets.</summary>
    Task CopyPatterns(BufferRef[] targets, int? blockSize);

    /// <summary>Creates (truncates) files at <paramref name="paths"/>, held open, registered as file objects.</summary>
    Task<FileObjectRef[]> CreateFiles(string[] paths);

    /// <summary>Closes the files and returns their lengths.</summary>
    Task<long[]> CloseFiles();

    /// <summary>Copies the files at <paramref name="paths"/> to <paramref name="targets"/>.</summary>
    Task CopyFiles(string[] paths, FileObjectRef[] targets, int? blockSize);
}

public sealed class Transferer : Actor, ITransferer
{
    private readonly List<byte[]> _buffers = [];
    private readonly List<FileStream> _files = [];

    public Task<BufferRef[]> CreateBuffers(int[] sizes)
    {
        var buffers = sizes.Select(size => new byte[size]).ToArray();
        _buffers.AddRange(buffers);
        return Task.FromResult(buffers.Select(b => Context.BufferRef(b)).ToArray());
    }

    public Task<BufferRef> CreateUnheldBuffer(int size) => Task.FromResult(RegisterUnheld(size));

    public Task<byte[][]> ReadBuffers(BufferRef[] buffers) => Task.FromResult(buffers.Select(b => Context.GetBuffer(b).ToArray()).ToArray());

    public Task CopyPatterns(BufferRef[] targets, int? blockSize) =>
        Context.CopyToAsync(targets.Select(t => (ReadOnlyMemory<byte>)Patterns.Of((int)t.Length)).ToArray(), targets, blockSize);

    public Task<FileObjectRef[]> CreateFiles(string[] paths)
    {
        var files = paths.Select(p => new FileStream(p, FileMode.Create, FileAccess.ReadWrite)).ToArray();
        _files.AddRange(files);
        return Task.FromResult(files.Select(f => Context.FileObjectRef(f)).ToArray());
    }

    public async Task<long[]> CloseFiles()
    {
        var lengths = _files.Select(f => f.Length).ToArray();
        foreach (var file in _files) await file.DisposeAsync();
        _files.Clear();
        return lengths;
    }

    public async Task CopyFiles(string[] paths, FileObjectRef[] targets, int? blockSize)
    {
        var sources = paths.Select(p => (Stream)File.OpenRead(p)).ToArray();
        try
        {
            await Context.CopyToAsync(sources, targets, blockSize);
        }
        finally
        {
            foreach (var source in sources) await source.DisposeAsync();
        }
    }

    // Not inlined: nothing in the caller's frame may keep the array alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private BufferRef RegisterUnheld(int size) => Context.BufferRef(new byte[size]);
}

/// <summary>Recognisable bytes: a position's byte differs from its neighbours' and from other blocks'.</summary>
public static class Patterns
{
    public static byte[] Of(int length) => Enumerable.Range(0, length).Select(i => (byte)(i * 7 + i / 251)).ToArray();
}
