import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Access } from '../../access/access';
import { authed, type Context } from '../../access/context';
import { ExportJob } from '../../model/export.entity';
import { Project } from '../../model/project.entity';
import { RequestExportInput, RequestExportPayload } from './export.inputs';
import { exportService } from './export.service';

@Resolver()
export class ExportMutations {
  @Access('authenticated')
  @Mutation(() => RequestExportPayload, {
    description: 'Exports a list the viewer sees (CSV or XLSX) or a project\'s investor pack (PDF), with exactly what the viewer may read. '
      + 'A small export is DONE at once; a larger one is QUEUED and written in the background (follow status and progress with node(id:)). '
      + 'Download it from downloadUrl with the same bearer token. Recorded in the audit trail.',
  })
  requestExport(@Arg('input', () => RequestExportInput) input: RequestExportInput, @Ctx() ctx: Context) {
    return exportService.request(ctx, input);
  }
}

@Resolver(() => ExportJob)
export class ExportJobResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Where to GET the file (relative to the server, with `Authorization: Bearer <token>`) once DONE; null before.' })
  downloadUrl(@Root() job: ExportJob): string | null {
    return exportService.downloadUrl(job);
  }

  @FieldResolver(() => Project, { nullable: true, description: 'The project the export is about, if any.' })
  project(@Root() job: ExportJob, @Ctx() ctx: Context) {
    return job.project ? authed(ctx).reader.byId(Project).load(job.project.id) : null;
  }
}

export const exportResolvers = [ExportMutations, ExportJobResolver] as const;
