using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Xoscar.Orleans.Placement;
using Xoscar.Orleans.Runtime;
using Xoscar.Orleans.SharedMemory;
using Xoscar.Orleans.Transfers;

namespace Xoscar.Orleans.Silo.Runtime;

/// <summary>Reads a pool's <see cref="PoolFootprint"/> from its services and its process.</summary>
internal static class PoolFootprints
{
    private static long s_forcedPauseTicks;   // the collections made here: not the work's pauses

    public static PoolFootprint Take(IServiceProvider services, bool collect)
    {
        if (collect)
        {
            var before = GC.GetTotalPauseDuration();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            // Aggressive: the collector gives back the memory it keeps for reuse, so the resident set is comparable
            // from sample to sample rather than following the allocation budget of the moment.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Interlocked.Add(ref s_forcedPauseTicks, (GC.GetTotalPauseDuration() - before).Ticks);
            // Likewise what glibc keeps free: the sample then shows what the process holds, not when its last trim ran.
            NativeHeapTrim.TrimNow();
        }

        var gc = GC.GetGCMemoryInfo(GCKind.Any);
        var cache = services.GetRequiredService<PoolAddressDirectoryCache>();
        var watch = services.GetService<LockWatch>();
        using var process = Process.GetCurrentProcess();
        return new PoolFootprint
        {
            ProcessId = Environment.ProcessId,
            Actors = services.GetRequiredService<ActorRegistry>().Count,
            Activations = services.GetRequiredService<IActivationWorkingSet>().Count,
            DirectoryEntries = services.GetRequiredService<PoolAddressGrainDirectory>().Count,
            DirectoryCachePools = cache.PoolCount,
            OtherDirectoryCacheEntries = cache.OtherCount,
            WatchedActivations = (watch?.Count ?? 0) + (watch?.UnlockedCount ?? 0),
            TellOutboxes = services.GetRequiredService<TellSender>().Outboxes,
            TransferTargets = services.GetRequiredService<TransferTargets>().Count,
            RecoverableActors = services.GetRequiredService<RecoverableActors>().Count,
            MappedSegments = services.GetRequiredService<SharedMemoryChannel>().MappedCount,
            HeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            Gen2Bytes = gc.GenerationInfo[2].SizeAfterBytes,
            LargeObjectHeapBytes = gc.GenerationInfo[3].SizeAfterBytes,
            CommittedBytes = gc.TotalCommittedBytes,
            ResidentBytes = process.WorkingSet64,
            SharedResidentBytes = SharedResident(),
            Threads = process.Threads.Count,
            GcPauses = GC.GetTotalPauseDuration() - TimeSpan.FromTicks(Interlocked.Read(ref s_forcedPauseTicks)),
        };
    }

    // Linux splits the resident set; shared memory pages count in it once touched, but are the segments', not a leak's.
    private static long SharedResident()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("RssShmem:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(9).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
