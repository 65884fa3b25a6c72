using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.Hosts.Tests;

/// <summary>Who can answer a prompt, from injected facts about the host (the rule behind HostIsInteractive).</summary>
public sealed class InteractiveHostRuleTests
{
    private const string UserSid = "S-1-5-21-1004336348-1177238915-682003330-1001";

    private static bool Rule(string? host = "ConsoleHost", bool ui = true, string[]? args = null, bool redirected = false, bool windows = false, bool userInteractive = true, string? sid = null) =>
        InteractiveHostRule.IsInteractive(host, ui, args ?? new[] { "pwsh" }, redirected, windows, userInteractive, sid);

    [Fact]
    public void A_user_at_a_console_can_answer()
    {
        Assert.True(Rule());
        Assert.True(Rule(windows: true, sid: UserSid));
    }

    [Fact]
    public void Intune_SCCM_or_a_scheduled_task_as_SYSTEM_cannot_though_it_says_nothing()
    {
        // powershell.exe -ExecutionPolicy Bypass -File script.ps1: ConsoleHost, no -NonInteractive, input not redirected.
        string[] agentLine = { "powershell.exe", "-ExecutionPolicy", "Bypass", "-File", @"C:\Program Files (x86)\Microsoft Intune Management Extension\Policies\Scripts\a.ps1" };
        Assert.False(Rule(args: agentLine, windows: true, userInteractive: false, sid: InteractiveHostRule.LocalSystemSid));
        Assert.False(Rule(args: agentLine, windows: true, userInteractive: true, sid: InteractiveHostRule.LocalSystemSid));
    }

    [Fact]
    public void A_Windows_process_outside_an_interactive_session_cannot_answer_in_any_host()
    {
        Assert.False(Rule(windows: true, userInteractive: false, sid: UserSid));
        Assert.False(Rule(host: "Visual Studio Code Host", windows: true, userInteractive: false, sid: UserSid));
    }

    [Fact]
    public void Off_Windows_UserInteractive_and_the_user_id_do_not_decide()
    {
        // .NET reports UserInteractive true off Windows; root is not SYSTEM.
        Assert.True(Rule(windows: false, userInteractive: false, sid: InteractiveHostRule.LocalSystemSid));
        Assert.False(Rule(windows: false, redirected: true));
    }

    [Theory]
    [InlineData("-NonInteractive")]
    [InlineData("-noni")]
    [InlineData("--noninteractive")]
    [InlineData("/NonInteractive")]
    public void NonInteractive_on_the_console_host_means_no_prompt(string arg)
    {
        Assert.False(Rule(args: new[] { "pwsh", arg, "-File", "x.ps1" }));
    }

    [Fact]
    public void Another_host_in_the_same_process_ignores_the_console_switches_but_not_a_missing_UI()
    {
        Assert.True(Rule(host: "Visual Studio Code Host", args: new[] { "pwsh", "-NonInteractive" }, redirected: true));
        Assert.False(Rule(host: "Default Host"));
        Assert.False(Rule(ui: false));
        Assert.False(Rule(host: null));
    }
}
