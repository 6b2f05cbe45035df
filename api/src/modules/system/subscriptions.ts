import { Repeater } from 'graphql-yoga';
import { builder } from '../../builder.js';
import { appClock } from '../../clock.js';

builder.subscriptionField('serverClock', (t) =>
  t.field({
    type: 'DateTime',
    description:
      "The server's clock, pushed every `intervalSeconds` (1-60): wallboards correct their countdowns for TV clock drift with it.",
    args: { intervalSeconds: t.arg.int({ required: false, defaultValue: 1 }) },
    subscribe: (_root, args) => {
      const ms = Math.min(Math.max(args.intervalSeconds ?? 1, 1), 60) * 1000;
      return new Repeater<Date>(async (push, stop) => {
        await push(appClock.now());
        const timer = setInterval(() => void push(appClock.now()), ms);
        await stop;
        clearInterval(timer);
      });
    },
    resolve: (date) => date,
  }),
);
