using GpuQuickstart;
using Xoscar.Orleans.Gpu;

// Usage: dotnet run --project samples/GpuQuickstart [-- DEVICE]   (DEVICE: auto, cpu, 0, cuda:0; default auto)
var device = args.FirstOrDefault() ?? "auto";
Console.WriteLine("devices: " + string.Join("; ", GpuDevices.Discover()));

await using var pool = await EmbeddedGpuPool.StartAsync(gpu: o => o.Device = device);
Console.WriteLine($"GPU pool {pool.Address} bound to {pool.Gpu.Device}");

var address = pool.Address;   // the only GPU pool here (in an ActorPool, GpuPool strategies choose among several)
var saxpy = await pool.Context.CreateActorAsync<Saxpy, ISaxpy>(uid: "saxpy", address: address);
var summer = await pool.Context.CreateActorAsync<Summer, ISummer>(uid: "summer", address: address);

const int n = 4096;
var x = Enumerable.Range(1, n).Select(i => 0.5f * i).ToArray();
var y = Enumerable.Range(1, n).Select(i => 1f - 0.25f * i).ToArray();
using var result = await saxpy.Compute(2f, x, y);            // stays on the device
var (sum, pointer) = await summer.Sum(result);                 // same pool: passed by reference, no copy
var expected = x.Zip(y, (xi, yi) => (double)(2f * xi + yi)).Sum();

Console.WriteLine($"saxpy -> {result}");
Console.WriteLine($"summer saw the same device memory: {pointer == result.DevicePointer} (0x{pointer:x})");
Console.WriteLine($"sum on the GPU pool: {sum}, CPU reference: {expected}, match: {Math.Abs(sum - expected) < 1e-3 * Math.Abs(expected)}");
result.Dispose();
Console.WriteLine($"ledger after dispose: {pool.Gpu.Ledger.LiveBuffers} buffers, {pool.Gpu.Ledger.LiveBytes} bytes; kernels compiled: {pool.Gpu.Kernels.Compiled}");
