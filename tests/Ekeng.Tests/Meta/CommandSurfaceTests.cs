using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using Ekeng.PowerShell.Infrastructure;

namespace Ekeng.Tests.Meta;

/// <summary>
/// The cmdlet surface as PowerShell users expect it (issue 18): approved verbs, one action and one output type per
/// command, one unit for every -Timeout, a Get- that only reads; and the concepts that have one owner each: the
/// confirmation helper, the secret helper, the card resolution, and no two Ekeng.Core namespaces that use each other.
/// </summary>
public sealed class CommandSurfaceTests
{
    private static readonly string Repo = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    private static IEnumerable<Type> Cmdlets() => typeof(EkengCmdlet).Assembly.GetTypes()
        .Where(t => t.GetCustomAttribute<CmdletAttribute>() != null && t.Namespace == "Ekeng.PowerShell.Commands");

    private static string Name(Type t)
    {
        CmdletAttribute a = t.GetCustomAttribute<CmdletAttribute>()!;
        return a.VerbName + "-" + a.NounName;
    }

    private static IEnumerable<(string File, string Text)> Sources(string project) =>
        Directory.EnumerateFiles(Path.Combine(Repo, "src", project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => (Path.GetRelativePath(Repo, f), File.ReadAllText(f)));

    [Fact]
    public void Every_Verb_Is_Approved()
    {
        var approved = new[] { typeof(VerbsCommon), typeof(VerbsData), typeof(VerbsLifecycle), typeof(VerbsDiagnostic), typeof(VerbsCommunications), typeof(VerbsSecurity), typeof(VerbsOther) }
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)).Select(f => (string)f.GetValue(null)!).ToHashSet();
        var wrong = Cmdlets().Where(t => !approved.Contains(t.GetCustomAttribute<CmdletAttribute>()!.VerbName)).Select(Name).ToList();
        Assert.Empty(wrong);
    }

    [Theory]
    [InlineData("Register-EkengCrm", "Ekeng.Crm.CrmRegistration")]
    [InlineData("Confirm-EkengCrmRegistration", "Ekeng.Crm.CrmRegistration")]
    [InlineData("Send-EkengCrmSmsCode", "Ekeng.Crm.CrmRegistration")]
    [InlineData("Get-EkengCrmRegistration", "Ekeng.Crm.CrmRegistration")]
    [InlineData("Get-EkengCrmTerms", "Ekeng.Crm.CrmTerms")]
    [InlineData("Invoke-EkengFeePayment", "Ekeng.Payments.FeePayment")]
    [InlineData("Get-EkengFeePayment", "Ekeng.Payments.FeePayment")]
    [InlineData("Save-EkengFeeReceipt", "System.IO.FileInfo")]
    public void The_Registration_And_Fee_Commands_Have_One_Output_Type(string command, string type)
    {
        Type cmdlet = Assert.Single(Cmdlets(), t => Name(t) == command);
        var types = cmdlet.GetCustomAttributes<OutputTypeAttribute>().SelectMany(a => a.Type).Select(t => t.Name)
            .Where(n => n != "Ekeng.Portal.PortalGuide") // the real EKENG, guided: no service named, nothing sent
            .ToList();
        Assert.Equal(new[] { type }, types);
    }

    [Fact]
    public void Every_Timeout_Is_Whole_Seconds_From_One()
    {
        var timeouts = Cmdlets().Select(t => (Command: Name(t), Property: t.GetProperty("Timeout"))).Where(p => p.Property?.GetCustomAttribute<ParameterAttribute>() != null).ToList();
        Assert.Contains(timeouts, p => p.Command == "Invoke-EkengFeePayment");
        Assert.Contains(timeouts, p => p.Command == "Get-EkengCard");
        foreach ((string command, PropertyInfo? property) in timeouts)
        {
            Assert.True(property!.PropertyType == typeof(int), $"{command} -Timeout is {property.PropertyType.Name}, not seconds as int");
            ValidateRangeAttribute? range = property.GetCustomAttribute<ValidateRangeAttribute>();
            Assert.True(range != null && Convert.ToInt32(range.MinRange) == 1, $"{command} -Timeout has no range from 1 s");
        }
    }

    [Fact]
    public void A_Get_Command_Only_Reads_No_ShouldProcess()
    {
        var writes = Cmdlets().Where(t => t.GetCustomAttribute<CmdletAttribute>()!.VerbName == VerbsCommon.Get && t.GetCustomAttribute<CmdletAttribute>()!.SupportsShouldProcess).Select(Name).ToList();
        Assert.Empty(writes);
        Assert.True(Assert.Single(Cmdlets(), t => Name(t) == "Save-EkengFeeReceipt").GetCustomAttribute<CmdletAttribute>()!.SupportsShouldProcess);
    }

    [Fact]
    public void Confirmations_Go_Through_The_One_Helper()
    {
        // EkengCmdlet's ShouldProcessOrExplain/ShouldContinueOrExplain: a confirmation a non-interactive session cannot
        // ask ends with ConfirmationRequired. The one other question is Register-EkengCrm's terms, asked only when the
        // host is interactive (consent to the terms, which -Confirm:$false must never give).
        var raw = new Regex(@"(?<![\w.])Should(Process|Continue)\(");
        var calls = Sources("Ekeng.PowerShell")
            .Where(s => !s.File.EndsWith("EkengCmdlet.cs", StringComparison.Ordinal))
            .SelectMany(s => s.Text.Split('\n').Select((line, i) => (s.File, Line: i + 1, Text: line)))
            .Where(l => raw.IsMatch(l.Text) && !l.Text.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}")
            .ToList();
        Assert.Equal(new[] { "RegisterEkengCrmCommand.cs" }, calls.Select(c => Path.GetFileName(c.Split(':')[0])).Distinct());
        Assert.Single(calls);
    }

    [Fact]
    public void Secrets_Are_Prompted_In_One_Place()
    {
        var prompting = Sources("Ekeng.PowerShell").Where(s => s.Text.Contains("ReadLineAsSecureString", StringComparison.Ordinal)).Select(s => Path.GetFileName(s.File)).ToList();
        Assert.Equal(new[] { "SecretInput.cs" }, prompting);
        // A login PIN's shape has one check and one set of ids (PinLengthOutOfRange, PinNotDigits): PinCheck.
        var shapeChecks = Sources("Ekeng.PowerShell").Where(s => Regex.IsMatch(s.Text, @"(""|PinErrors\.)Pin(Invalid|LengthOutOfRange|NotDigits)\b")).Select(s => s.File).ToList();
        Assert.Empty(shapeChecks);
    }

    [Fact]
    public void Cards_Are_Resolved_In_One_Place()
    {
        var own = Sources("Ekeng.PowerShell").Where(s => Regex.IsMatch(s.Text, @"(""|CardErrors\.)(CardNotFound|MultipleCards)\b")).Select(s => s.File).ToList();
        Assert.Empty(own);
        Assert.Contains("CardErrors.MultipleCards", File.ReadAllText(Path.Combine(Repo, "src", "Ekeng.Core", "Cards", "CardResolver.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void No_Two_Core_Namespaces_Use_Each_Other()
    {
        var uses = new Dictionary<string, HashSet<string>>();
        foreach ((string _, string text) in Sources("Ekeng.Core"))
        {
            Match ns = Regex.Match(text, @"namespace Ekeng\.(\w+)");
            if (!ns.Success)
            {
                continue;
            }

            string from = ns.Groups[1].Value;
            if (!uses.TryGetValue(from, out var set))
            {
                uses[from] = set = new HashSet<string>();
            }

            foreach (Match m in Regex.Matches(text, @"using Ekeng\.(\w+)\s*;|\bEkeng\.(\w+)\.[A-Z]\w*"))
            {
                string to = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                if (to != from)
                {
                    set.Add(to);
                }
            }
        }

        var loops = uses.SelectMany(a => a.Value.Where(b => string.CompareOrdinal(a.Key, b) < 0 && uses.TryGetValue(b, out var back) && back.Contains(a.Key)).Select(b => $"{a.Key} <-> {b}")).ToList();
        Assert.True(loops.Count == 0, "namespaces that use each other: " + string.Join(", ", loops));
        Assert.Contains("Cards", uses["Certificates"]);
    }
}
