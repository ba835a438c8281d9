namespace Xoscar.Orleans.Tests.Infrastructure;

/// <summary>
/// A test that needs something a machine may lack: where it is missing the test is skipped, and its name, as the test
/// command prints it (<c>... [SKIP]</c>), carries the reason, so a skip never needs guessing.
/// </summary>
public abstract class ConditionalFactAttribute : Xunit.FactAttribute
{
    /// <param name="missing">Why the test cannot run here, or null when it can.</param>
    /// <param name="test">The test method (the caller's member name).</param>
    /// <param name="file">The test's source file, named for its class (the caller's file path).</param>
    protected ConditionalFactAttribute(string? missing, string test, string file)
    {
        if (missing is null) return;
        Skip = missing;
        DisplayName = $"{Path.GetFileNameWithoutExtension(file)}.{test} (skipped: {missing})";
    }
}
