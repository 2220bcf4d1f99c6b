import { Arg, Ctx, Field, FieldResolver, InputType, Mutation, ObjectType, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { UserError } from '../../core/user-error';
import { EmailMode, EmailPreference } from '../../model/email.entity';
import { User } from '../../model/identity.entity';
import { Checks } from '../../write/checks';
import { AuditAction } from '../../write/audit';
import { mutate } from '../../write/transaction';
import { Viewer } from '../identity/identity.types';
import { isEventType, EVENT_TYPES } from './event-types';
import { defaultModeOf, preferencesOf } from './email.preferences';

@ObjectType('EmailPreference', { description: 'How the viewer is told of one type of event by e-mail.' })
export class EmailPreferenceView {
  @Field({ description: 'The event type, e.g. `report.restated`.' })
  eventType!: string;

  @Field(() => EmailMode, { description: 'The chosen mode, or the type\'s default.' })
  mode!: EmailMode;

  @Field({ description: 'Whether the mode is the default (the viewer never chose one for this type).' })
  isDefault!: boolean;
}

@InputType({ description: 'The mode for one event type.' })
export class EmailPreferenceInput {
  @Field({ description: 'The event type, e.g. `report.restated`.' })
  eventType!: string;

  @Field(() => EmailMode, { description: 'How to be told.' })
  mode!: EmailMode;
}

@InputType({ description: 'E-mail preferences to set; event types not listed keep their mode.' })
export class SetEmailPreferencesInput {
  @Field(() => [EmailPreferenceInput], { description: 'One entry per event type to change.' })
  preferences!: EmailPreferenceInput[];
}

@ObjectType({ description: 'Result of setEmailPreferences.' })
export class SetEmailPreferencesPayload {
  @Field(() => [EmailPreferenceView], { nullable: true, description: 'Every event type with its mode, after the change; null when it failed.' })
  emailPreferences!: EmailPreferenceView[] | null;

  @Field(() => [UserError], { description: 'Expected failures; empty on success.' })
  userErrors!: UserError[];
}

@Resolver(() => Viewer)
export class ViewerEmailResolver {
  @FieldResolver(() => [EmailPreferenceView], { description: 'How the viewer is told of each event type by e-mail (only events about things the viewer may see are ever sent).' })
  emailPreferences(@Root() _v: Viewer, @Ctx() ctx: Context) {
    return preferencesOf(ctx.em as EntityManager, authed(ctx).viewer);
  }
}

@Resolver()
export class EmailMutations {
  @Access('authenticated')
  @Mutation(() => SetEmailPreferencesPayload, { description: 'Sets the viewer\'s e-mail mode for some event types.' })
  async setEmailPreferences(@Arg('input', () => SetEmailPreferencesInput) input: SetEmailPreferencesInput, @Ctx() ctx: Context): Promise<SetEmailPreferencesPayload> {
    const { viewer } = authed(ctx);
    const result = await mutate(ctx, async (tx) => {
      const checks = new Checks();
      const seen = new Set<string>();
      input.preferences.forEach((p, i) => {
        if (!isEventType(p.eventType)) checks.add(`preferences.${i}.eventType`, `unknown event type "${p.eventType}"; known: ${EVENT_TYPES.join(', ')}`);
        else if (seen.has(p.eventType)) checks.add(`preferences.${i}.eventType`, `event type "${p.eventType}" is listed twice`);
        seen.add(p.eventType);
      });
      checks.done();
      const existing = await tx.find(EmailPreference, { eventType: { $in: [...seen] } });
      const byType = new Map(existing.map((r) => [r.eventType, r]));
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const p of input.preferences) {
        const row = byType.get(p.eventType);
        const before = row?.mode ?? defaultModeOf(p.eventType);
        if (before !== p.mode) changes[p.eventType] = { before, after: p.mode };
        if (row) row.mode = p.mode;
        else tx.em.create(EmailPreference, { user: viewer.userId, eventType: p.eventType, mode: p.mode } as never);
      }
      if (Object.keys(changes).length) tx.audit(AuditAction.EmailPreferencesSet, await tx.linked(User, viewer.userId), null, changes);
      return true;
    });
    if (!result.object) return { emailPreferences: null, userErrors: result.userErrors };
    return { emailPreferences: await preferencesOf(ctx.em as EntityManager, viewer), userErrors: [] };
  }
}

export const emailResolvers = [ViewerEmailResolver, EmailMutations] as const;
