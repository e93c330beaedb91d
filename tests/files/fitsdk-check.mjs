// Decodes FIT workout files written by Cadence's encoder with Garmin's FIT
// SDK for JavaScript (@garmin/fitsdk) and checks what a watch would read:
// file integrity, no decoding error, a running workout whose step count is
// the number of workout_step messages, and repeat steps that point back
// at an earlier step.  Exit status 1 on any problem.
import { Decoder, Stream } from '@garmin/fitsdk';
import fs from 'fs';

let bad = 0;
for (const file of process.argv.slice(2)) {
    const d = new Decoder(Stream.fromBuffer(fs.readFileSync(file)));
    const problems = [];
    if (!d.isFIT() || !d.checkIntegrity()) problems.push('not a FIT file or bad CRC');
    const { messages, errors } = d.read();
    if (errors.length) problems.push('decoder: ' + errors.map(e => e.message).join('; '));
    const id = (messages.fileIdMesgs || [])[0] || {};
    const wkt = (messages.workoutMesgs || [])[0] || {};
    const steps = messages.workoutStepMesgs || [];
    if (id.type !== 'workout') problems.push('file type ' + id.type);
    if (wkt.sport !== 'running') problems.push('sport ' + wkt.sport);
    if (wkt.numValidSteps !== steps.length) problems.push('numValidSteps ' + wkt.numValidSteps + ' for ' + steps.length + ' steps');
    steps.forEach((s, i) => {
        if (s.messageIndex !== i) problems.push('step ' + i + ' has index ' + s.messageIndex);
        if (s.durationType === 'repeatUntilStepsCmplt' && !(s.durationStep < i && s.repeatSteps > 0))
            problems.push('repeat step ' + i + ' points at ' + s.durationStep + ' x ' + s.repeatSteps);
        if (s.targetType === 'speed' && !(s.customTargetSpeedLow < s.customTargetSpeedHigh))
            problems.push('step ' + i + ' speed range ' + s.customTargetSpeedLow + '-' + s.customTargetSpeedHigh);
    });
    console.log(file + ': ' + (problems.length ? problems.join(', ') : 'ok, ' + steps.length + ' steps'));
    if (problems.length) bad = 1;
}
process.exit(bad);
