using Ekeng.Rigs.CardHolder;

return CardHolderCli.Run(args, Environment.GetEnvironmentVariable, Console.Out, Console.Error);
