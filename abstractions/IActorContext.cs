namespace Xoscar.Orleans;

/// <summary>
/// The Xoscar façade (Xoscar's <c>api.py</c>): create, find and destroy actors. The same service works from a
/// client connected to a pool, from the process that hosts an embedded pool, and from inside an actor
/// (<c>ActorBase.Context</c>). Call methods on a reference to <c>send</c>; use <c>Tell</c> to fire and forget.
/// </summary>
public interface IActorContext
{
    /// <summary>The pool used when a call names no address: the pool this code runs in, or the one a client connected to.</summary>
    string DefaultAddress { get; }

    /// <summary>
    /// Creates an actor of class <typeparamref name="TActor"/> and returns a reference typed as <typeparamref name="TRef"/>
    /// (Xoscar's <c>create_actor</c>).
    /// </summary>
    /// <param name="args">Constructor arguments, in order; the constructor's remaining parameters come from DI.</param>
    /// <param name="uid">The actor's uid; a fresh one when null.</param>
    /// <param name="address">The pool to create it in; <see cref="DefaultAddress"/> when null.</param>
    /// <exception cref="ActorAlreadyExistException">The pool already has an actor with this uid.</exception>
    /// <exception cref="ServerClosedException">No pool runs at <paramref name="address"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a pool address (<c>host:port</c>), or <paramref name="uid"/> is empty,
    /// longer than <see cref="ActorId.MaxUidLength"/> or holds a control character.</exception>
    /// <exception cref="NotSerializableException">An argument's type has no serializer.</exception>
    /// <remarks>An exception thrown by the constructor or by <see cref="ActorBase.PostCreateAsync"/> reaches the caller with its type, and no actor is left behind.</remarks>
    Task<TRef> CreateActorAsync<TActor, TRef>(object?[]? args = null, string? uid = null, string? address = null)
        where TActor : ActorBase, TRef
        where TRef : IActor;

    /// <summary>
    /// Creates an actor of class <typeparamref name="TActor"/> in the pool that <paramref name="strategy"/> chooses
    /// (Xoscar's <c>create_actor(..., allocate_strategy=)</c>); the reference carries the chosen pool's address.
    /// </summary>
    /// <param name="strategy">How to choose the pool: <see cref="MainPool"/>, <see cref="RandomPool"/>, <see cref="RandomSubPool"/>, <see cref="ProcessIndex"/>,
    /// <see cref="RandomLabel"/>, <see cref="IdleLabel"/>, <see cref="CorePool"/>, <see cref="GpuPool"/> (a GPU pool, with a reservation for the actor's life),
    /// or <see cref="AddressSpecified"/> (then the same as naming the address).</param>
    /// <param name="args">Constructor arguments, in order; the constructor's remaining parameters come from DI.</param>
    /// <param name="uid">The actor's uid; a fresh one when null.</param>
    /// <param name="address">A pool of the cluster to send the request to (it is decided by the main pool); <see cref="DefaultAddress"/> when null.</param>
    /// <exception cref="NoIdleSlotException">No pool fits the strategy (for <see cref="IdleLabel"/>: every labelled pool is taken).</exception>
    /// <exception cref="NoGpuCapacityException">No GPU pool can hold the <see cref="GpuPool"/> request; nothing was created.</exception>
    /// <exception cref="ActorAlreadyExistException">The chosen pool already has an actor with this uid.</exception>
    /// <exception cref="ArgumentException">An address is not a pool address, <paramref name="uid"/> is not a valid uid, or a <see cref="GpuPool"/> device index is held by several devices.</exception>
    Task<TRef> CreateActorAsync<TActor, TRef>(AllocationStrategy strategy, object?[]? args = null, string? uid = null, string? address = null)
        where TActor : ActorBase, TRef
        where TRef : IActor;

    /// <summary>
    /// Creates a gang of GPU actors of class <typeparamref name="TActor"/>, one per entry of <paramref name="args"/>, each on
    /// its own device of one host as <paramref name="gang"/> says (tensor parallel: member i is rank i), with the
    /// reservation <see cref="GpuGang.Each"/> asks for. All or nothing: the devices are reserved together before anything
    /// is created, and if any creation fails the members already created are destroyed and every reservation is released.
    /// </summary>
    /// <param name="gang">The reservation of each member, and which devices.</param>
    /// <param name="args">One constructor argument list per member, in rank order.</param>
    /// <param name="uids">One uid per member; fresh ones when null.</param>
    /// <param name="address">A pool of the cluster to send the request to (it is decided by the main pool); <see cref="DefaultAddress"/> when null.</param>
    /// <returns>The members' references, in rank order.</returns>
    /// <exception cref="NoGpuCapacityException">There are not that many devices that can hold the reservation (or the devices named cannot); nothing was created.</exception>
    /// <exception cref="ArgumentException"><paramref name="args"/> is empty, <paramref name="uids"/> is not one per member or holds one twice, the device list is not one per member,
    /// or an address or uid is not valid.</exception>
    /// <remarks>A member's constructor or post-create hook that throws fails the gang with that error, after the others are gone.</remarks>
    Task<IReadOnlyList<TRef>> CreateGpuGangAsync<TActor, TRef>(GpuGang gang, IReadOnlyList<object?[]> args, IReadOnlyList<string>? uids = null, string? address = null)
        where TActor : ActorBase, TRef
        where TRef : IActor;

    /// <summary>
    /// Every pool of the cluster that the pool at <paramref name="address"/> belongs to, in index order: address,
    /// index, label, kind, process id and env (Xoscar's <c>get_pool_config</c>); for a GPU pool, its device with the
    /// free memory and reservations its main pool's placement sees (<see cref="PoolConfig.Gpu"/>).
    /// </summary>
    /// <param name="address">Any pool of the cluster; <see cref="DefaultAddress"/> when null.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a pool address.</exception>
    Task<IReadOnlyList<PoolConfig>> GetPoolConfigAsync(string? address = null);

    /// <summary>A reference to an existing actor (Xoscar's <c>actor_ref</c>).</summary>
    /// <exception cref="ActorNotExistException">The pool has no actor with this uid.</exception>
    /// <exception cref="InvalidCastException">The actor does not implement <typeparamref name="TRef"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not a pool address, or <paramref name="uid"/> is not a valid uid.</exception>
    Task<TRef> ActorRefAsync<TRef>(string address, string uid) where TRef : IActor;

    /// <summary>Whether the actor behind <paramref name="actor"/> exists (Xoscar's <c>has_actor</c>).</summary>
    Task<bool> HasActorAsync(IActor actor);

    /// <summary>
    /// Runs the actor's pre-destroy hook, then removes it (Xoscar's <c>destroy_actor</c>). Later calls through any
    /// reference to it raise <see cref="ActorNotExistException"/>, until an actor with the same uid is created again.
    /// </summary>
    /// <exception cref="ActorNotExistException">The actor does not exist.</exception>
    Task DestroyActorAsync(IActor actor);

    /// <summary>
    /// Kills the process of the sub pool the actor lives in, with every actor in it (Xoscar's <c>kill_actor</c>): the
    /// main pool sends it SIGKILL, then treats it as any sub pool that died (<see cref="ServerClosedException"/> for
    /// later calls, or a restart with <c>ActorPoolOptions.AutoRecover</c>). Returns once the process has ended.
    /// </summary>
    /// <exception cref="ArgumentException">The actor lives in the main pool, which cannot be killed this way.</exception>
    /// <exception cref="ActorPoolNotStartedException">The actor's pool belongs to no actor pool with a main pool.</exception>
    Task KillActorAsync(IActor actor);

    /// <summary>
    /// The events of the cluster's pools and actors from now on, in the order their main pool published them: pools
    /// started, down (with exit code or signal), recovering, recovered or failed; actors created, destroyed or re-created;
    /// slow calls and call cycles. Read from the Orleans stream the main pool hosts (<c>PoolEventStream</c>); ends when
    /// <paramref name="cancellationToken"/> is cancelled or the loop over it stops, which unsubscribes.
    /// </summary>
    /// <param name="cancellationToken">Ends the enumeration.</param>
    /// <exception cref="InvalidOperationException">This silo or client has no pool events stream provider (a plain <c>AddXoscar</c> silo).</exception>
    IAsyncEnumerable<PoolEvent> WatchPoolEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers <paramref name="buffer"/> in this pool as a copy target and returns its ref (Xoscar's <c>buffer_ref</c>):
    /// pass the ref to the actor that copies into it with <see cref="CopyToAsync(IReadOnlyList{ReadOnlyMemory{byte}}, IReadOnlyList{BufferRef}, int?, CancellationToken)"/>.
    /// The pool holds the buffer weakly: keep it (in the actor's fields) as long as copies may come.
    /// </summary>
    /// <exception cref="InvalidOperationException">This process hosts no pool (a client cannot receive copies).</exception>
    /// <exception cref="ArgumentException">The memory is neither an array's nor a <c>MemoryManager</c>'s.</exception>
    BufferRef BufferRef(Memory<byte> buffer);

    /// <summary>The buffer behind <paramref name="buffer"/>, registered in this pool (Xoscar's <c>BufferRef.get_buffer</c>).</summary>
    /// <exception cref="ArgumentException">The ref belongs to another pool.</exception>
    /// <exception cref="TransferTargetNotFoundException">This pool holds no such buffer (any more).</exception>
    Memory<byte> GetBuffer(BufferRef buffer);

    /// <summary>
    /// Registers the writable <paramref name="stream"/> in this pool as a copy target and returns its ref (Xoscar's
    /// <c>file_object_ref</c>); held weakly, like a buffer.
    /// </summary>
    /// <exception cref="InvalidOperationException">This process hosts no pool.</exception>
    /// <exception cref="ArgumentException">The stream cannot be written.</exception>
    FileObjectRef FileObjectRef(Stream stream);

    /// <summary>
    /// Copies each of <paramref name="sources"/> into the buffer of the same index in <paramref name="targets"/>, from its
    /// start (Xoscar's <c>copy_to</c>), in blocks of <paramref name="blockSize"/> bytes with several blocks on their way at
    /// once: through shared memory between pools of one machine, in messages otherwise. Targets may be in several pools.
    /// Returns once every byte is in place.
    /// </summary>
    /// <param name="sources">What to copy; each at most as long as its target.</param>
    /// <param name="targets">Buffer refs from <see cref="BufferRef"/> in the receiving pools.</param>
    /// <param name="blockSize">Bytes per message; 4 MiB when null.</param>
    /// <param name="cancellationToken">Stops sending further blocks.</param>
    /// <exception cref="ArgumentException">The lists are empty or of different lengths, or a source is longer than its target.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> is not positive.</exception>
    /// <exception cref="TransferTargetNotFoundException">A target's pool holds no such buffer (any more).</exception>
    /// <exception cref="ServerClosedException">A target's pool is not running.</exception>
    Task CopyToAsync(IReadOnlyList<ReadOnlyMemory<byte>> sources, IReadOnlyList<BufferRef> targets, int? blockSize = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Copies each of <paramref name="sources"/>, from its position to its end, to the file object of the same index in
    /// <paramref name="targets"/>, written at that stream's position and flushed (Xoscar's <c>copy_to</c> of file objects).
    /// </summary>
    /// <param name="sources">Readable streams.</param>
    /// <param name="targets">File object refs from <see cref="FileObjectRef"/> in the receiving pools.</param>
    /// <param name="blockSize">Bytes per message; 4 MiB when null.</param>
    /// <param name="cancellationToken">Stops sending further blocks.</param>
    /// <exception cref="ArgumentException">The lists are empty or of different lengths, or a source cannot be read.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="blockSize"/> is not positive.</exception>
    /// <exception cref="TransferTargetNotFoundException">A target's pool holds no such file object (any more).</exception>
    Task CopyToAsync(IReadOnlyList<Stream> sources, IReadOnlyList<FileObjectRef> targets, int? blockSize = null, CancellationToken cancellationToken = default);
}
