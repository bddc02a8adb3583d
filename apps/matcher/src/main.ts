import 'reflect-metadata';
import { runHttpApp } from '@chanxiao/core';
import { MatcherAppModule } from './matcher-app.module';

void runHttpApp((config) => MatcherAppModule.forRoot(config), {
  name: 'matcher',
  description: 'Queue workers; serves health and metrics only.',
  port: 'MATCHER_PORT',
  docs: false,
});
