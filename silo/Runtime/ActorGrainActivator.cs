using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Xoscar.Orleans.Runtime;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>
/// Constructs an actor from its creation spec: the spec's arguments go to the constructor, DI supplies the rest.
/// With no spec (never created, or destroyed) it refuses, so a stale reference never brings up a fresh actor:
/// the activation fails and the call fails with <see cref="ActorNotExistException"/>.
/// </summary>
internal sealed class ActorGrainActivator(Type actorClass, ActorRegistry registry) : IGrainActivator
{
    // Matching a constructor to arguments is reflection; do it once per argument-type signature.
    private readonly ConcurrentDictionary<string, ObjectFactory> _factories = new(StringComparer.Ordinal);

    public object CreateInstance(IGrainContext context)
    {
        var id = ActorId.FromGrainKey(context.GrainId.Key.ToString()!);
        if (!registry.TryGet(id.Uid, context.GrainId.Type, out var spec)) throw registry.Missing(id);
        BatchMethods.For(actorClass);   // a malformed [BatchOf] fails the creation, naming the method, not a later call
        ActorBase.WorkersOf(actorClass); // so does [ScaleOut] on a stateful actor
        try
        {
            return Factory(spec.Args)(context.ActivationServices, spec.Args);
        }
        catch (TargetInvocationException wrapper) when (wrapper.InnerException is { } error)
        {
            // The constructor's own exception, with its type and stack, is what the creator must see.
            ExceptionDispatchInfo.Throw(error);
            throw;
        }
        catch (InvalidOperationException error) when (error.TargetSite?.DeclaringType == typeof(ActivatorUtilities))
        {
            throw new ArgumentException(
                $"Actor '{id.Uid}' in pool {id.Address}: no constructor of {actorClass.FullName} takes the given arguments " +
                $"({string.Join(", ", spec.Args.Select(a => a?.GetType().Name ?? "null"))}) with the rest from DI. {error.Message}", error);
        }
    }

    private ObjectFactory Factory(object?[] args)
    {
        if (args.Length == 0) return _factories.GetOrAdd("", _ => ActivatorUtilities.CreateFactory(actorClass, Type.EmptyTypes));
        if (Array.IndexOf(args, null) >= 0)
        {
            // A null argument has no type to match by: let ActivatorUtilities match this one call.
            return (services, a) => ActivatorUtilities.CreateInstance(services, actorClass, a!);
        }

        var key = string.Join('|', args.Select(a => a!.GetType().AssemblyQualifiedName));
        return _factories.GetOrAdd(key, _ => ActivatorUtilities.CreateFactory(actorClass, args.Select(a => a!.GetType()).ToArray()));
    }

    public ValueTask DisposeInstance(IGrainContext context, object instance)
    {
        switch (instance)
        {
            case IAsyncDisposable asyncDisposable:
                return asyncDisposable.DisposeAsync();
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }

        return default;
    }
}
