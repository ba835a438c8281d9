using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.WireProtocol;
using Xoscar.Orleans.SharedMemory;

namespace Xoscar.Orleans.Gpu;

/// <summary>
/// Writes a <see cref="GpuBuffer{T}"/> for another pool or a client: element type name, element size, length, then the
/// elements — in the message, or, between pools of one machine, in a shared memory segment the message names (see
/// <see cref="Blob"/>), which the devices copy into and out of directly (<see cref="HostMemoryPins"/>). Reading puts them
/// on the receiving pool's device, or keeps them host-side where there is no GPU pool (a client). Same-pool calls never get here: the buffer is <c>[Immutable]</c>, so Orleans
/// passes it by reference.
/// </summary>
/// <remarks>Built by Orleans per serializer from the receiving process's services (open generic registration).</remarks>
/// <typeparam name="T">The element type.</typeparam>
[RegisterSerializer]
internal sealed class GpuBufferCodec<T> : IFieldCodec<GpuBuffer<T>> where T : unmanaged
{
    private const byte InMessage = 0;
    private const byte InSharedMemory = 1;
    private static readonly byte[] ElementName = Encoding.UTF8.GetBytes(typeof(T).FullName!);
    private readonly IServiceProvider _services;

    public GpuBufferCodec(IServiceProvider services) => _services = services;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, [AllowNull] Type expectedType, [AllowNull] GpuBuffer<T> value)
        where TBufferWriter : System.Buffers.IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value)) return;
        ArgumentNullException.ThrowIfNull(value);

        // Between pools of one machine the elements go straight from the device into a shared memory segment.
        var channel = _services.GetService<SharedMemoryChannel>();
        var bytes = value.LengthInBytes;
        var segment = channel is not null && bytes <= int.MaxValue && channel.Carries((int)bytes) ? channel.TryWrite((int)bytes, value.CopyTo) : null;
        var payload = segment is null ? MemoryMarshal.AsBytes((value.HostArray ?? value.CopyOut()).AsSpan()) : [];
        var segmentName = segment is null ? [] : Encoding.UTF8.GetBytes(segment);
        var carried = segment is null ? payload.Length : sizeof(int) + segmentName.Length;
        var size = sizeof(int) + ElementName.Length + sizeof(int) + sizeof(long) + sizeof(byte) + (long)carried;
        if (size > uint.MaxValue) throw new NotSupportedException($"{value} is too large for one message ({size} bytes).");

        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(GpuBuffer<T>), WireType.LengthPrefixed);
        writer.WriteVarUInt32((uint)size);
        writer.WriteInt32(ElementName.Length);
        writer.Write(ElementName);
        writer.WriteInt32(Unsafe.SizeOf<T>());
        writer.WriteInt64(value.Length);
        writer.WriteByte(segment is null ? InMessage : InSharedMemory);
        if (segment is null)
        {
            writer.Write(payload);
        }
        else
        {
            writer.WriteInt32(segmentName.Length);
            writer.Write(segmentName);
        }

        var handOff = (IGpuBufferHandOff)value;
        if (handOff.ReleaseAfterSend || (handOff.IsTransferCopy && !handOff.Claimed && value.IsOnDevice)) value.Dispose();
    }

    public GpuBuffer<T> ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference) return ReferenceCodec.ReadReference<GpuBuffer<T>, TInput>(ref reader, field)!;

        field.EnsureWireType(WireType.LengthPrefixed);
        var size = reader.ReadVarUInt32();
        var nameBytes = new byte[reader.ReadInt32()];
        reader.ReadBytes(nameBytes);
        var elementName = Encoding.UTF8.GetString(nameBytes);
        var elementSize = reader.ReadInt32();
        var length = reader.ReadInt64();
        var carrier = reader.ReadByte();
        var payloadBytes = (long)size - sizeof(int) - nameBytes.Length - sizeof(int) - sizeof(long) - sizeof(byte);

        var expected = GpuBuffer<T>.Describe(typeof(T), length);
        var actual = $"GpuBuffer<{elementName[(elementName.LastIndexOf('.') + 1)..]}>[{length}]";
        if (elementName != typeof(T).FullName || elementSize != Unsafe.SizeOf<T>())
            throw new GpuBufferMismatchException(expected, $"{actual} of {elementSize}-byte {elementName}");
        if (carrier == InMessage && payloadBytes != length * elementSize)
            throw new GpuBufferMismatchException(expected, $"{payloadBytes} bytes of {elementName}");

        var gpu = _services.GetService<GpuAccelerator>();
        GpuBuffer<T> result;
        if (carrier == InMessage)
        {
            var elements = GC.AllocateUninitializedArray<T>(checked((int)length));
            reader.ReadBytes(MemoryMarshal.AsBytes(elements.AsSpan()));
            result = gpu is null ? GpuBuffer<T>.FromHost(elements) : gpu.Adopt(elements);
        }
        else
        {
            var segmentName = new byte[reader.ReadInt32()];
            reader.ReadBytes(segmentName);
            var channel = _services.GetService<SharedMemoryChannel>()
                ?? throw new InvalidOperationException($"{expected} arrived through shared memory, but AddXoscar() was not called on this client or silo to read it.");
            result = ReadSegment(channel, Encoding.UTF8.GetString(segmentName), checked((int)(length * elementSize)), length, gpu);
        }

        if (gpu is null) ((IGpuBufferHandOff)result).IsTransferCopy = true;
        ReferenceCodec.RecordObject(reader.Session, result);
        return result;
    }

    // Into the pool's device straight from the segment; at a client, into a host array.
    private static GpuBuffer<T> ReadSegment(SharedMemoryChannel channel, string segment, int bytes, long length, GpuAccelerator? gpu)
    {
        if (gpu is null)
        {
            var elements = GC.AllocateUninitializedArray<T>(checked((int)length));
            channel.ReadInto(segment, MemoryMarshal.AsBytes(elements.AsSpan()));
            return GpuBuffer<T>.FromHost(elements);
        }

        GpuBuffer<T>? adopted = null;
        channel.Drain(segment, bytes, window => adopted = gpu.AdoptFrom<T>(window, length));
        return adopted!;
    }
}
