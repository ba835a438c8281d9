using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.GrainDirectory;
using Orleans.Streams;

namespace Xoscar.Orleans.Silo;

/// <summary>
/// The pool events stream of a cluster: a memory stream provider (<see cref="PoolEventStream.ProviderName"/>, one queue)
/// in every pool, hosted by the main pool, which alone pulls its queue and holds its queue, subscriptions and their
/// storage. Other pools (sub pools, pools that joined an embedded pool) publish and subscribe through it: they host
/// none of the stream's grains, and hold none of their directory entries (<see cref="HubGrainDirectoryResolver"/>), so
/// that a sub pool going down takes no event and no subscription with it. Nothing external is needed.
/// </summary>
internal static class PoolEventHosting
{
    /// <summary>How long the hub keeps an event for subscribers behind (a subscriber further behind misses events).</summary>
    public static readonly TimeSpan CacheTime = TimeSpan.FromSeconds(10);

    /// <summary>Adds the stream to a pool; <paramref name="hub"/>: the pool hosts it.</summary>
    public static void AddPoolEvents(this ISiloBuilder silo, bool hub)
    {
        silo.AddMemoryStreams(PoolEventStream.ProviderName, streams =>
        {
            streams.ConfigurePartitioning(1);
            streams.ConfigurePartitionBalancing((_, _) => new HubQueueBalancer(hub));
            // Orleans keeps a memory stream's events in the hub's cache (1 MiB blocks) until they are 30 minutes older
            // than the newest: under actor churn that is hundreds of MiB of events that were delivered long ago.
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = CacheTime;
                o.DataMaxAgeInCache = CacheTime;
            }));
        });
        // Every pool with the provider needs the subscriptions' storage; its grains live in the hub alone.
        silo.AddMemoryGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
        silo.Services.AddSingleton<HubGrainDirectoryResolver>();
        silo.Services.AddSingleton<IGrainDirectoryResolver>(static sp => sp.GetRequiredService<HubGrainDirectoryResolver>());
        if (hub) return;

        // Placement only considers pools whose grain classes include a grain's: the stream's grains (queue,
        // subscriptions, their storage) are then placed in the hub alone.
        silo.Services.PostConfigure<GrainTypeOptions>(o => o.Classes.RemoveWhere(c => HubGrainDirectoryResolver.Assemblies.Contains(c.Assembly)));
    }

    /// <summary>Gives every queue of the stream to the hub, none to other pools: one agent delivers each event, in order.</summary>
    private sealed class HubQueueBalancer(bool hub) : IStreamQueueBalancer
    {
        private List<QueueId> _queues = [];

        public Task Initialize(IStreamQueueMapper queueMapper)
        {
            if (hub) _queues = queueMapper.GetAllQueues().ToList();
            return Task.CompletedTask;
        }

        public Task Shutdown() => Task.CompletedTask;

        public IEnumerable<QueueId> GetMyQueues() => _queues;

        // The distribution never changes.
        public bool SubscribeToQueueDistributionChangeEvents(IStreamQueueBalanceListener observer) => true;

        public bool UnSubscribeFromQueueDistributionChangeEvents(IStreamQueueBalanceListener observer) => true;
    }
}
