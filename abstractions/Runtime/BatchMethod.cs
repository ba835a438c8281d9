using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Orleans.Serialization.Invocation;

namespace Xoscar.Orleans.Runtime;

/// <summary>
/// One <see cref="BatchOfAttribute"/> method of an actor class, bound to the interface method it batches:
/// turns a batch of captured calls into its argument list, calls it, and returns one result per call.
/// </summary>
internal sealed class BatchMethod
{
    private static readonly ConcurrentDictionary<Type, Func<object, Task<object?>>> Awaiters = new();

    private readonly MethodInfo _implementation;
    private readonly Type _elementType;
    private readonly int _arity;
    private readonly Func<object?[], object> _element;
    private readonly Type _resultType;

    private BatchMethod(MethodInfo implementation, Type elementType, int arity, Type resultType)
    {
        _implementation = implementation;
        _elementType = elementType;
        _arity = arity;
        _resultType = resultType;
        _element = arity == 1 ? static args => args[0]! : TupleFactory(elementType);
    }

    /// <summary>
    /// The element type of a batch's results for calls to <paramref name="single"/>: its result type, or
    /// <see cref="object"/> for a method without one. Results travel as an array of it, not as boxed objects.
    /// </summary>
    public static Type ResultType(MethodInfo single) =>
        single.ReturnType.IsGenericType ? single.ReturnType.GetGenericArguments()[0] : typeof(object);

    /// <summary>Binds <paramref name="implementation"/> to <paramref name="single"/>, or says why it cannot.</summary>
    public static BatchMethod Bind(MethodInfo implementation, MethodInfo single)
    {
        var parameters = single.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).Select(p => p.ParameterType).ToArray();
        var element = parameters.Length == 1 ? parameters[0] : TupleType(parameters);
        var expected = typeof(IReadOnlyList<>).MakeGenericType(element);
        var actual = implementation.GetParameters();
        if (actual.Length != 1 || actual[0].ParameterType != expected)
        {
            throw new InvalidOperationException(
                $"Batch implementation {implementation.DeclaringType?.Name}.{implementation.Name} of {single.DeclaringType?.Name}.{single.Name} " +
                $"must take one parameter of type {Describe(expected)}.");
        }

        return new BatchMethod(implementation, element, parameters.Length, ResultType(single));
    }

    /// <summary>Runs the batch implementation on <paramref name="actor"/> for a single call (the fallback of a plain call).</summary>
    public Task<Array> InvokeAsync(object actor, IInvokable call) => InvokeAsync(actor, new BatchPayload([call]));

    /// <summary>Runs the batch implementation on <paramref name="actor"/> for <paramref name="calls"/>.</summary>
    /// <returns>One result per call, as an array of the single method's result type.</returns>
    /// <exception cref="InvalidOperationException">The implementation returned a different number of results than calls.</exception>
    public async Task<Array> InvokeAsync(object actor, BatchPayload calls)
    {
        var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(_elementType), calls.Count)!;
        var args = new object?[_arity];
        for (var call = 0; call < calls.Count; call++)
        {
            for (var i = 0; i < _arity; i++) args[i] = calls.Argument(call, i);
            list.Add(_element(args));
        }

        object? returned;
        try
        {
            returned = _implementation.Invoke(actor, [list]);
        }
        catch (TargetInvocationException wrapper) when (wrapper.InnerException is { } error)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            throw;
        }

        var value = returned is null ? null : await Awaiter(returned.GetType())(returned);
        if (_resultType == typeof(object) && _implementation.ReturnType is var r && (r == typeof(void) || r == typeof(Task) || r == typeof(ValueTask)))
        {
            return new object?[calls.Count];
        }

        if (value is Array array && array.GetType().GetElementType() == _resultType && array.Length == calls.Count) return array;
        var results = (value as IEnumerable ?? throw new InvalidOperationException($"Batch implementation {_implementation.Name} returned no results."))
            .Cast<object?>().ToArray();
        if (results.Length != calls.Count)
        {
            throw new InvalidOperationException($"Batch implementation {_implementation.Name} returned {results.Length} results for {calls.Count} calls.");
        }

        var typed = Array.CreateInstance(_resultType, results.Length);
        Array.Copy(results, typed, results.Length);
        return typed;
    }

    // Task, Task<T>, ValueTask, ValueTask<T> or a plain value, awaited and unwrapped to its result.
    private static Func<object, Task<object?>> Awaiter(Type type) => Awaiters.GetOrAdd(type, static type =>
    {
        if (typeof(Task).IsAssignableFrom(type))
        {
            var result = type.IsGenericType ? type.GetProperty(nameof(Task<int>.Result)) : null;
            return async task =>
            {
                await (Task)task;
                return result?.GetValue(task);
            };
        }

        if (type == typeof(ValueTask)) return static async task => { await (ValueTask)task; return null; };
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            var asTask = type.GetMethod(nameof(ValueTask<int>.AsTask))!;
            var inner = Awaiter(asTask.ReturnType);
            return task => inner(asTask.Invoke(task, null)!);
        }

        return static value => Task.FromResult<object?>(value);
    });

    private static Type TupleType(Type[] items) => items.Length switch
    {
        0 => typeof(ValueTuple),
        2 => typeof(ValueTuple<,>).MakeGenericType(items),
        3 => typeof(ValueTuple<,,>).MakeGenericType(items),
        4 => typeof(ValueTuple<,,,>).MakeGenericType(items),
        5 => typeof(ValueTuple<,,,,>).MakeGenericType(items),
        6 => typeof(ValueTuple<,,,,,>).MakeGenericType(items),
        7 => typeof(ValueTuple<,,,,,,>).MakeGenericType(items),
        _ => throw new NotSupportedException("Batch implementations support single methods of up to 7 parameters."),
    };

    private static Func<object?[], object> TupleFactory(Type tupleType)
    {
        var args = Expression.Parameter(typeof(object?[]), "args");
        var items = tupleType.GetGenericArguments();
        var constructor = tupleType.GetConstructor(items)!;
        var values = items.Select((t, i) => Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), t));
        return Expression.Lambda<Func<object?[], object>>(Expression.Convert(Expression.New(constructor, values), typeof(object)), args).Compile();
    }

    private static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;
}
