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
    private readonly Type[] _parameterTypes;
    private readonly int[] _positions;
    private readonly Func<object?[], int, Array> _elements;
    private readonly Type _resultType;

    private BatchMethod(MethodInfo implementation, Type elementType, Type[] parameterTypes, int[] positions, Type resultType)
    {
        _implementation = implementation;
        _parameterTypes = parameterTypes;
        _positions = positions;
        _resultType = resultType;
        _elements = parameterTypes.Length == 1 ? static (columns, _) => (Array)columns[0]! : Zipper(elementType, parameterTypes);
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
        var kept = single.GetParameters().Where(p => p.ParameterType != typeof(CancellationToken)).ToArray();
        var parameters = kept.Select(p => p.ParameterType).ToArray();
        var element = parameters.Length == 1 ? parameters[0] : TupleType(parameters);
        var expected = typeof(IReadOnlyList<>).MakeGenericType(element);
        var actual = implementation.GetParameters();
        if (actual.Length != 1 || actual[0].ParameterType != expected)
        {
            throw new InvalidOperationException(
                $"Batch implementation {implementation.DeclaringType?.Name}.{implementation.Name} of {single.DeclaringType?.Name}.{single.Name} " +
                $"must take one parameter of type {Describe(expected)}.");
        }

        return new BatchMethod(implementation, element, parameters, kept.Select(p => p.Position).ToArray(), ResultType(single));
    }

    /// <summary>Runs the batch implementation on <paramref name="actor"/> for a single call (the fallback of a plain call).</summary>
    public Task<Array> InvokeAsync(object actor, IInvokable call) => InvokeAsync(actor, new BatchPayload([call]));

    /// <summary>Runs the batch implementation on <paramref name="actor"/> for <paramref name="calls"/>.</summary>
    /// <returns>One result per call, as an array of the single method's result type.</returns>
    /// <exception cref="InvalidOperationException">The implementation returned a different number of results than calls.</exception>
    public async Task<Array> InvokeAsync(object actor, BatchPayload calls)
    {
        // The implementation gets the argument column itself (one parameter) or an array of tuples built from the
        // columns; either is an IReadOnlyList of its element type, made without boxing an argument.
        var columns = new object?[_positions.Length];
        for (var i = 0; i < columns.Length; i++) columns[i] = Column(calls, i);
        var list = _elements(columns, calls.Count);

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

    // A column as the batch must carry it: an array of the parameter's type with one element per call. The caller's
    // façade always packs it so; a pool trusts no caller.
    private object Column(BatchPayload calls, int parameter)
    {
        var column = calls.Columns.ElementAtOrDefault(_positions[parameter])?.Values;
        if (column is Array array && array.GetType().GetElementType() == _parameterTypes[parameter] && array.Length == calls.Count) return array;
        throw new ArgumentException(
            $"A batch of {calls.Count} calls to {_implementation.DeclaringType?.Name}.{_implementation.Name} carries {column?.GetType().Name ?? "no"} arguments " +
            $"at position {_positions[parameter]}, not {_parameterTypes[parameter].Name}[{calls.Count}].", nameof(calls));
    }

    // (columns, count) => an array of tuples, element i made of element i of each column.
    private static Func<object?[], int, Array> Zipper(Type tupleType, Type[] items)
    {
        var columns = Expression.Parameter(typeof(object?[]), "columns");
        var index = Expression.Parameter(typeof(int), "index");
        var values = items.Select((t, j) => Expression.ArrayIndex(Expression.Convert(Expression.ArrayIndex(columns, Expression.Constant(j)), t.MakeArrayType()), index));
        var element = Expression.Lambda(typeof(Func<,,>).MakeGenericType(typeof(object?[]), typeof(int), tupleType),
            Expression.New(tupleType.GetConstructor(items)!, values), columns, index).Compile();
        var zip = typeof(BatchMethod).GetMethod(nameof(Zip), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(tupleType);
        return zip.CreateDelegate<Func<object?[], int, Array>>(element);
    }

    private static Array Zip<TElement>(Func<object?[], int, TElement> element, object?[] columns, int count)
    {
        var elements = new TElement[count];
        for (var i = 0; i < count; i++) elements[i] = element(columns, i);
        return elements;
    }

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

    private static string Describe(Type type) =>
        type.IsGenericType ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>" : type.Name;
}
