using System.Buffers;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace Xoscar.Orleans;

/// <summary>
/// What Orleans finds for a type it has no copier or codec for, last of all: a copier and codec that refuse a value of
/// the type with <see cref="NotSerializableException"/>, naming it and the fix. Without it a reference to an actor whose
/// interface names such a type could not even be made (Orleans looks copiers up as it makes a proxy), and a value of
/// it failed with Orleans' own <c>CodecNotFoundException</c>; with it the call carrying the value fails, typed, when
/// the value is copied or serialized — in a send, a tell, a batch or a result — and nothing else does.
/// </summary>
/// <remarks>
/// It leaves alone what has a serializer some other way (a generated one, a surrogate, an external serializer such
/// as Orleans' JSON one, registered before or after it), exceptions (Orleans' exception codec and
/// <see cref="RemoteActorException"/> take care of them), interfaces and abstract types, collections (behind an
/// interface such as <c>IEnumerable&lt;T&gt;</c>, Orleans sends one it has no codec for by its items), and <c>null</c>.
/// </remarks>
internal sealed class MissingSerializerFallback(IServiceProvider services) : IGeneralizedCodec, IGeneralizedCopier
{
    private IGeneralizedCodec[]? _codecs;
    private IGeneralizedCopier[]? _copiers;

    bool IGeneralizedCodec.IsSupportedType(Type type) =>
        Refuses(type) && !(_codecs ??= Others(services.GetServices<IGeneralizedCodec>())).Any(c => c.IsSupportedType(type));

    bool IGeneralizedCopier.IsSupportedType(Type type) =>
        Refuses(type) && !(_copiers ??= Others(services.GetServices<IGeneralizedCopier>())).Any(c => c.IsSupportedType(type));

    public object? DeepCopy(object? input, CopyContext context) => input is null ? null : throw new NotSerializableException(input.GetType());

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, object? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (value is not null) throw new NotSerializableException(value.GetType());
        ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
    }

    public object? ReadValue<TInput>(ref Reader<TInput> reader, Field field) =>
        field.WireType == WireType.Reference
            ? ReferenceCodec.ReadReference(ref reader, field.FieldType)
            : throw new NotSerializableException(field.FieldType ?? typeof(object));

    // Orleans copies an interface or abstract type by its runtime type, and tries a collection's own codec before its items.
    private static bool Refuses(Type type) =>
        !type.IsAbstract && !type.IsInterface && !typeof(Exception).IsAssignableFrom(type) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    private T[] Others<T>(IEnumerable<T> all) => all.Where(o => !ReferenceEquals(o, this)).ToArray();
}
