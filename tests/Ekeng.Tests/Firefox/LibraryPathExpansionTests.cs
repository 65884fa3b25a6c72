using Ekeng.Diagnostics;
using Ekeng.Firefox;

namespace Ekeng.Tests.Firefox;

/// <summary>Firefox loads a library path literally: %VAR% is expanded before it is written, or the path is refused.</summary>
public sealed class LibraryPathExpansionTests
{
    [Fact]
    public void A_Percent_Variable_Is_Expanded()
    {
        Environment.SetEnvironmentVariable("EKENG_TEST_LIBDIR", "/opt/cc");
        Assert.Equal("/opt/cc/lib.so", LibraryPaths.ExpandForWrite("%EKENG_TEST_LIBDIR%/lib.so"));
        Assert.Equal("/usr/lib/plain.so", LibraryPaths.ExpandForWrite("/usr/lib/plain.so"));
        Assert.Equal("/usr/lib/100%.so", LibraryPaths.ExpandForWrite("/usr/lib/100%.so"));
    }

    [Theory]
    [InlineData("%EKENG_TEST_UNSET_VARIABLE%/lib.so")]
    [InlineData("$env:ProgramFiles/lib.so")]
    public void An_Unexpanded_Variable_Is_Refused_With_UnexpandedLibraryPath(string path)
    {
        var error = Assert.Throws<EkengException>(() => LibraryPaths.ExpandForWrite(path));
        Assert.Equal("UnexpandedLibraryPath", error.ErrorId);
        Assert.Equal(EkengErrorKind.InvalidArgument, error.Kind);
    }
}
